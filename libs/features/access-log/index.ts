export * from './access-log';
export * from './access-log.query';
