import { shownText } from './personal-text';

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
  });
});
