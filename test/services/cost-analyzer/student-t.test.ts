/** Student's t quantiles against published table values (two-sided 90/95/99%). */
import { studentTCdf, studentTQuantile } from '../../../services/cost-analyzer/src/student-t';

describe('studentTQuantile', () => {
  it.each([
    [0.95, 1, 6.3138],
    [0.95, 5, 2.015],
    [0.975, 10, 2.2281],
    [0.995, 3, 5.8409],
    [0.95, 1000, 1.6464],
  ])('p=%s, %s degrees of freedom: %s', (p, dof, expected) => {
    expect(studentTQuantile(p, dof)).toBeCloseTo(expected, 3);
  });

  it('is symmetric and inverts the CDF', () => {
    expect(studentTQuantile(0.05, 4)).toBeCloseTo(-studentTQuantile(0.95, 4), 10);
    expect(studentTCdf(studentTQuantile(0.9, 7), 7)).toBeCloseTo(0.9, 9);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});
