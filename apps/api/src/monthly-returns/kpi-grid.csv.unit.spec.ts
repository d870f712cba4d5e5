import { csvField, kpiGridCsv } from './kpi-grid.csv';
import type { KpiGridDto } from './kpi-grid.dto';

describe('a CSV field', () => {
  it('is quoted when it holds a comma, a quote or a line break, with quotes doubled', () => {
    expect(csvField('Tŷ Gwyn')).toBe('Tŷ Gwyn');
    expect(csvField('n/a (none, this month)')).toBe('"n/a (none, this month)"');
    expect(csvField('the "Lodge"')).toBe('"the ""Lodge"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('cannot run as a formula when a spreadsheet opens the file', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+44 1234')).toBe("'+44 1234");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves numbers (negative ones too) and booleans as they are, and nothing empty', () => {
    expect(csvField(-2.5)).toBe('-2.5');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
  });
});

describe('the grid as CSV', () => {
  it('starts with a byte-order mark and ends every line with CRLF', () => {
    const grid: KpiGridDto = { from: '2026-01', to: '2026-01', frameworks: [], services: [] };
    expect(kpiGridCsv(grid)).toBe(
      '\uFEFFservice_id,service_name,region_id,period,indicator,value,outcome,rag,target,floor,tolerance,expected_lower,expected_upper,framework_version,late,amended\r\n',
    );
  });
});
