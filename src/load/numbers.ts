const DECIMAL = /^[-+]?([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/;

/**
 * Why a number from evidence cannot be trusted, or undefined when it can. JSON and
 * YAML read numbers into doubles, which silently round: `9007199254740993` becomes
 * ...992, `1e-400` becomes 0 ("no open findings"), `1.0000000000000001` becomes 1
 * ("schemaVersion 1"), `1e400` and `.inf` become Infinity and `.nan` NaN, which JSON
 * (and so the policy) sees as null. Each could turn a failing value into a passing
 * one, so a number is accepted only when the double is what the text says, as far
 * as whole-number-ness and range go (0.1 stays 0.1: ordinary fractions round anyway).
 */
export function numberProblem(literal: string, value: number): string | undefined {
  const shown = literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
  if (Number.isNaN(value)) return `${shown} is not a number (NaN has no JSON form)`;
  if (!Number.isFinite(value)) return `${shown} is out of range (it reads as infinity)`;
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `${shown} is beyond 2^53 and cannot be represented exactly`;
  }
  const m = DECIMAL.exec(literal);
  if (!m) return undefined; // hexadecimal, octal or binary integers: the range check above suffices
  const fraction = m[2] ?? '';
  const digits = `${m[1] ?? ''}${fraction}`.replace(/^0+/, '');
  if (digits === '') return undefined; // an exact zero
  if (value === 0) return `${shown} is too small to represent (it reads as 0)`;
  // The exact value is digits × 10^scale: whole exactly when the last -scale digits are zeros.
  const scale = Number(m[3] ?? '0') - fraction.length;
  const whole =
    scale >= 0 || (-scale < digits.length && /^0*$/.test(digits.slice(digits.length + scale)));
  if (Number.isInteger(value) && !whole)
    return `${shown} is not a whole number but reads as ${value}`;
  return undefined;
}
