import {
  academicTermSpanOf,
  academicYearOf,
  financialYearOf,
  monthsOf,
  parseAcademicTerm,
  parseAcademicYear,
  parseFinancialYear,
} from './academic-year';
import { InvalidCommandError } from './domain-errors';
import { periodOf, type Period } from './period';

const p = (value: string) => value as Period;

describe('academic terms', () => {
  it.each([
    ['2013-09', 'Aut 13', 'autumn', '2013-09', '2013-12'],
    ['2013-12', 'Aut 13', 'autumn', '2013-09', '2013-12'],
    ['2014-01', 'Spr 14', 'spring', '2014-01', '2014-03'],
    ['2014-03', 'Spr 14', 'spring', '2014-01', '2014-03'],
    ['2014-04', 'Sum 14', 'summer', '2014-04', '2014-08'],
    ['2014-08', 'Sum 14', 'summer', '2014-04', '2014-08'],
  ])('%s is in %s', (period, name, term, first, last) => {
    expect(academicTermSpanOf(p(period))).toEqual({ name, term, first, last });
  });

  it('reads a term back from its name, for every month of a year', () => {
    for (let month = 1; month <= 12; month++) {
      const span = academicTermSpanOf(periodOf(2016, month));
      expect(parseAcademicTerm(span.name)).toEqual(span);
    }
  });

  it.each(['Autumn 13', 'aut 13', 'Aut 2013', 'Win 13', '', 13, null])(
    'refuses %p, naming the field',
    (bad) => {
      expect(() => parseAcademicTerm(bad, 'period')).toThrow(InvalidCommandError);
      try {
        parseAcademicTerm(bad, 'period');
      } catch (error) {
        expect((error as InvalidCommandError).problems[0]!.field).toBe('period');
      }
    },
  );

  it('terms of an academic year cover its twelve months once each', () => {
    const months = ['Aut 13', 'Spr 14', 'Sum 14'].flatMap((t) => monthsOf(parseAcademicTerm(t)));
    expect(months).toEqual(monthsOf(parseAcademicYear('2013/14')));
    expect(months).toHaveLength(12);
  });
});

describe('academic and financial years', () => {
  it('an academic year runs September to August', () => {
    expect(academicYearOf(p('2013-09'))).toEqual({
      name: '2013/14',
      first: '2013-09',
      last: '2014-08',
    });
    expect(academicYearOf(p('2014-08')).name).toBe('2013/14');
    expect(academicYearOf(p('2014-09')).name).toBe('2014/15');
  });

  it('a financial year runs April to March', () => {
    expect(financialYearOf(p('2013-04'))).toEqual({
      name: '2013/14',
      first: '2013-04',
      last: '2014-03',
    });
    expect(financialYearOf(p('2014-03')).name).toBe('2013/14');
    expect(financialYearOf(p('2014-04')).name).toBe('2014/15');
    expect(financialYearOf(p('1999-12')).name).toBe('1999/00');
  });

  it('reads years back from their names', () => {
    expect(parseFinancialYear('2013/14')).toEqual(financialYearOf(p('2013-04')));
    expect(parseAcademicYear('1999/00')).toEqual(academicYearOf(p('1999-09')));
  });

  it.each(['2013/15', '2013-14', '13/14', '2013/2014', 42])('refuses the year %p', (bad) => {
    expect(() => parseFinancialYear(bad)).toThrow(/financial year .*2013\/14/);
    expect(() => parseAcademicYear(bad)).toThrow(/academic year/);
  });
});
