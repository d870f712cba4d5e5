import { Workbook, type Worksheet } from 'exceljs';
import type { KpiGridCellDto, KpiGridDto } from './kpi-grid.dto';
import { kpiGridWorkbook, RAG_FILLS } from './kpi-grid.xlsx';

const cell = (value: unknown, rag: string, judgedValue: number | null): KpiGridCellDto => ({
  value,
  judgedValue,
  outcome: rag === 'green' ? 'met' : rag === 'grey' ? 'not-applicable' : 'missed',
  rag,
  target: 90,
  floor: 75,
  tolerance: null,
  expectedRange: null,
  frameworkId: 'childrens-homes',
  frameworkVersion: 1,
  lastChangedAt: '2026-04-10T10:00:00.000Z',
});

/** One home, two months: March submitted (a number, a ratio, yes-no, n/a), April a gap. */
const grid: KpiGridDto = {
  from: '2026-03',
  to: '2026-04',
  frameworks: [
    {
      frameworkId: 'childrens-homes',
      version: 1,
      name: "Children's homes",
      indicators: [
        {
          code: 'EDU',
          name: 'Education attendance',
          unit: 'percentage',
          direction: 'higher-is-better',
        },
        { code: 'RPI', name: 'Restraints per child', unit: 'count', direction: 'lower-is-better' },
        {
          code: 'R44',
          name: 'Regulation 44 visit held',
          unit: 'yes-no',
          direction: 'higher-is-better',
        },
        { code: 'SUP', name: 'Supervisions held', unit: 'ratio', direction: 'higher-is-better' },
      ],
    },
  ],
  services: [
    {
      serviceId: 'ty-gwyn',
      name: 'Tŷ Gwyn',
      regionId: 'north-wales',
      openedOn: '2024-04-01',
      months: [
        {
          period: '2026-03',
          dueDate: '2026-04-20',
          submitted: true,
          submittedAt: '2026-04-10T10:00:00.000Z',
          late: false,
          amended: true,
          amendments: 2,
          frameworkId: 'childrens-homes',
          frameworkVersion: 1,
          managerId: 'mgr-siwan',
          bonus: { met: 2, required: 3, of: 3, compliant: false },
          cells: {
            EDU: cell(85, 'amber', 85),
            RPI: cell({ notApplicable: true, reason: 'No children placed' }, 'grey', null),
            R44: cell(true, 'green', 1),
            SUP: cell({ numerator: 3, denominator: 4 }, 'red', 75),
          },
        },
        {
          period: '2026-04',
          dueDate: '2026-05-20',
          submitted: false,
          submittedAt: null,
          late: null,
          amended: false,
          amendments: 0,
          frameworkId: null,
          frameworkVersion: null,
          managerId: null,
          bonus: null,
          cells: {},
        },
      ],
    },
  ],
};

let sheet: Worksheet;
let notes: Worksheet;
let headers: unknown[];
beforeAll(async () => {
  const bytes = await kpiGridWorkbook(grid, {
    tenantId: 'acme',
    exportedAt: new Date('2026-05-01T09:00:00Z'),
  });
  const workbook = new Workbook();
  // exceljs types its own Buffer; Node's newer typings differ only in the backing buffer.
  await workbook.xlsx.load(bytes as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  sheet = workbook.getWorksheet('KPI grid')!;
  notes = workbook.getWorksheet('Notes')!;
  headers = (sheet.getRow(1).values as unknown[]).slice(1);
});

const column = (header: string) => {
  const index = headers.indexOf(header);
  if (index < 0) throw new Error(`no column ${header}`);
  return index + 1;
};
const march = (header: string) => sheet.getRow(2).getCell(column(header));
const april = (header: string) => sheet.getRow(3).getCell(column(header));

describe('the KPI grid workbook, read back', () => {
  it('names each indicator in a note on its header: name, unit and direction', () => {
    expect(sheet.getRow(1).getCell(column('EDU')).note).toBe(
      'Education attendance. Unit: %; higher is better.',
    );
    expect(sheet.getRow(1).getCell(column('RPI')).note).toBe(
      'Restraints per child. Unit: count; lower is better.',
    );
  });

  it('holds numbers only in numeric columns: n/a leaves the value blank and gives its reason in its own column', () => {
    expect(march('EDU').value).toBe(85);
    expect(march('SUP').value).toBe(75); // 3 of 4, judged as a percentage
    expect(march('RPI').value).toBeNull();
    expect(march('RPI n/a reason').value).toBe('No children placed');
    expect(march('EDU n/a reason').value).toBeNull();
    expect(march('R44').value).toBe('yes');
  });

  it('gives the RAG as text beside the colour', () => {
    expect(['EDU', 'RPI', 'R44', 'SUP'].map((code) => march(`${code} RAG`).value)).toEqual([
      'amber',
      'grey',
      'green',
      'red',
    ]);
    const fill = sheet.getRow(2).getCell(column('EDU')).fill;
    expect(fill?.type === 'pattern' && fill.fgColor?.argb).toBe(RAG_FILLS.amber);
    expect(april('EDU RAG').value).toBeNull(); // no return: nothing was judged
  });

  it('gives KPIs met, judged and needed for bonus as numbers, and the manager in post', () => {
    expect(
      [march('KPIs met'), march('KPIs judged'), march('KPIs needed for bonus')].map((c) => c.value),
    ).toEqual([2, 3, 3]);
    expect(march('Bonus compliant').value).toBe('no');
    expect(march('Manager').value).toBe('mgr-siwan');
    expect(march('Amendments').value).toBe(2);
    expect(march('Amended').value).toBe('yes');
    expect(april('Manager').value).toBeNull();
    expect(april('KPIs met').value).toBeNull();
  });

  it('lists every indicator of each framework version in the notes, with unit and direction', () => {
    const rows: unknown[][] = [];
    notes.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toContainEqual(['Framework', 'Version', 'Indicator', 'Name', 'Unit', 'Direction']);
    expect(rows).toContainEqual([
      'childrens-homes',
      1,
      'SUP',
      'Supervisions held',
      '% (a ratio, as a percentage)',
      'higher is better',
    ]);
    expect(rows).toContainEqual([
      'childrens-homes',
      1,
      'R44',
      'Regulation 44 visit held',
      'yes/no',
      'higher is better',
    ]);
  });
});
