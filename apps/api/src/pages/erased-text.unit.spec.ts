import { erasedOnWords, pageText } from './erased-text';

describe('a text that can name people, on a page', () => {
  it('is shown as it is, or says the day it was erased in words', () => {
    expect(pageText('Tom was excluded')).toEqual({ text: 'Tom was excluded', erased: null });
    expect(pageText(null)).toEqual({ text: null, erased: null });
    expect(pageText({ erasedOn: '2026-05-11' })).toEqual({
      text: null,
      erased: 'erased on 11 May 2026',
    });
    expect(erasedOnWords({ erasedOn: '2026-01-01' })).toBe('erased on 1 January 2026');
  });
});
