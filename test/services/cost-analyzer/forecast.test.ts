/**
 * The end-of-month forecast on synthetic months with known answers: a steady rate is extrapolated exactly with no
 * interval; the rate is the latest whole weeks'; the interval is the one computed by hand, and on independent
 * noisy days it holds the truth about as often as the confidence level says; the backtest's error is the one
 * computed by hand.
 */
import { backtest, forecastMonthEnd } from '../../../services/cost-analyzer/src/forecast';

/** A small deterministic random source (mulberry32), so the statistical test is reproducible. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

describe('forecastMonthEnd', () => {
  it('runs a flat rate to the end of the month, with a zero-width interval', () => {
    const forecast = forecastMonthEnd({ dailyCosts: Array(14).fill(25), daysInMonth: 31, confidenceLevel: 0.9 });
    expect(forecast).toEqual({ point: 775, lower: 775, upper: 775, daysObserved: 14 });
  });

  it('takes the rate of the latest whole weeks', () => {
    // Ten days: three at 100, then a week of five days at 10 and two at 4. The rate is that week's, 58/7 a day.
    const dailyCosts = [100, 100, 100, 10, 10, 10, 10, 10, 4, 4];
    const forecast = forecastMonthEnd({ dailyCosts, daysInMonth: 30, confidenceLevel: 0.9 });
    expect(forecast.daysObserved).toBe(7);
    expect(forecast.point).toBeCloseTo(358 + (20 * 58) / 7, 9);
  });

  it('gives the interval of a sum of future days around an estimated mean', () => {
    // Rate 20 from three days (s² = 100); 27 days to go: Var = 100 · (27 + 27²/3) = 27,000; t(0.95, 2) = 2.919986.
    const forecast = forecastMonthEnd({ dailyCosts: [10, 20, 30], daysInMonth: 30, confidenceLevel: 0.9 });
    const halfWidth = 2.919986 * Math.sqrt(27_000);
    expect(forecast.point).toBeCloseTo(600, 9);
    expect(forecast.lower).toBeCloseTo(600 - halfWidth, 3);
    expect(forecast.upper).toBeCloseTo(600 + halfWidth, 3);
  });

  it('never forecasts below the cost so far', () => {
    // Today's charges so far (100 in all) already exceed the 30 the rate gives for the month.
    const forecast = forecastMonthEnd({ dailyCosts: [1, 1, 1], daysInMonth: 30, confidenceLevel: 0.9, monthToDate: 100 });
    expect(forecast).toMatchObject({ point: 100, lower: 100 });
  });

  it('gives intervals that cover the true month as often as the confidence level, when days are independent', () => {
    const next = random(42);
    const trials = 2000;
    let covered = 0;
    for (let trial = 0; trial < trials; trial++) {
      const days = Array.from({ length: 30 }, () => 100 + 8 * gaussian(next));
      const actual = days.reduce((total, cost) => total + cost, 0);
      const forecast = forecastMonthEnd({ dailyCosts: days.slice(0, 10), daysInMonth: 30, confidenceLevel: 0.9 });
      if (actual >= forecast.lower && actual <= forecast.upper) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.87);
    expect(covered / trials).toBeLessThan(0.93);
  });

  it('needs three complete days', () => {
    expect(() => forecastMonthEnd({ dailyCosts: [1, 2], daysInMonth: 30, confidenceLevel: 0.9 })).toThrow(/at least 3/);
  });
});

describe('backtest', () => {
  it('has no error on months of a steady rate', () => {
    const result = backtest([{ month: '2024-06', dailyCosts: Array(30).fill(12) }], [7, 14, 21], 0.9);
    expect(result.mape).toBe(0);
    expect(result.coverage).toBe(1);
  });

  it('measures the error of a month whose cost doubles after day 15', () => {
    // 15 days at 10, 15 at 20: the month costs 450. Days 7 and 14 see 10 a day: 300, off by 1/3. Day 21 sees
    // 270 over three weeks (12.857 a day): 270 + 9 · 270/21 = 385.71, off by 1/7.
    const month = Array.from({ length: 30 }, (_, index) => (index < 15 ? 10 : 20));
    const result = backtest([{ month: '2024-06', dailyCosts: month }], [7, 14, 21], 0.9);
    expect(result.mapeByDay[7]).toBeCloseTo(1 / 3, 12);
    expect(result.mapeByDay[14]).toBeCloseTo(1 / 3, 12);
    expect(result.mapeByDay[21]).toBeCloseTo(1 / 7, 12);
    expect(result.mape).toBeCloseTo((1 / 3 + 1 / 3 + 1 / 7) / 3, 12);
  });

  it('skips months that cost nothing', () => {
    const result = backtest([{ month: '2024-02', dailyCosts: Array(29).fill(0) }], [7], 0.9);
    expect(result.months).toEqual([]);
    expect(result.mape).toBeUndefined();
  });
});
