import { erasedOnWords, pageText, shownText } from './personal-text';

describe('a text that can name people, on a page', () => {
  it('is shown as it is while it can be opened', () => {
    expect(shownText('Bereavement; support agreed')).toEqual({
      text: 'Bereavement; support agreed',
      erased: false,
    });
  });

  it('says on which day it was erased, once it was', () => {
    expect(shownText({ erasedOn: '2026-05-11' })).toEqual({
      text: 'erased on 11 May 2026',
      erased: true,
    });
    expect(shownText({ erasedOn: '2027-01-01' }).text).toBe('erased on 1 January 2027');
    expect(erasedOnWords({ erasedOn: '2026-01-01' })).toBe('erased on 1 January 2026');
  });

  it('may be absent, and then stays absent', () => {
    expect(pageText('Tom was excluded')).toEqual({ text: 'Tom was excluded', erased: null });
    expect(pageText(null)).toEqual({ text: null, erased: null });
    expect(pageText({ erasedOn: '2026-05-11' })).toEqual({
      text: null,
      erased: 'erased on 11 May 2026',
    });
  });
});
