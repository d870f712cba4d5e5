export { ROLES, isRole, AUDIT_READERS, type Role } from './access/roles';
