/** Cell parsing: the timestamp layouts the clouds write, decimals, currencies. */
import { addMonths, daysInMonth, formatTimestamp, isCurrencyCode, parseDecimal, parseTimestamp } from '../../../../services/cost-analyzer/src/focus/values';

describe('parseTimestamp', () => {
  const september = Date.UTC(2024, 8, 1);
  it.each([
    ['2024-09-01T00:00:00Z', september],
    ['2024-09-01T00:00:00.000Z', september],
    ['2024-09-01 00:00:00', september], // the FOCUS sample: no zone is UTC
    ['2024-09-01 07:00:00 UTC', september + 7 * 3_600_000], // BigQuery JSON
    ['2024-09-01T05:30:00+05:30', september],
    ['2024-09-01', september],
    ['09/01/2024', september], // Azure: month first
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each(['', 'yesterday', '2024-02-30', '13/01/2024', '2024-09-01T25:00:00Z', '1725148800'])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('writes ISO 8601 UTC without milliseconds', () => {
    expect(formatTimestamp(september)).toBe('2024-09-01T00:00:00Z');
  });
});

describe('parseDecimal', () => {
  it.each([
    ['12', 12],
    ['-0.5', -0.5],
    ['1.2E-5', 1.2e-5],
    ['.25', 0.25],
  ])('%s', (text, expected) => expect(parseDecimal(text)).toBe(expected));

  it.each(['', ' 1', '1,5', 'NaN', 'Infinity', '0x10', '$3'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('months and currencies', () => {
  it('counts days and steps months across years', () => {
    expect(daysInMonth('2024-02')).toBe(29);
    expect(addMonths('2024-01', -2)).toBe('2023-11');
  });

  it('knows ISO 4217 codes, not test or placeholder codes', () => {
    expect(isCurrencyCode('INR')).toBe(true);
    expect(isCurrencyCode('XXX')).toBe(false);
    expect(isCurrencyCode('usd')).toBe(false);
  });
});
