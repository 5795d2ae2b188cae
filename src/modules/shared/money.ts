// Money is integer minor units plus an ISO 4217 currency; these convert to and from decimals.
import { DomainError } from "../../errors.js";
import { maxMoneyAmount } from "./fields.js";

// Building an Intl.NumberFormat costs tens of microseconds: each currency's digits are looked up once.
const digitsOf = new Map<string, number>();

function minorDigits(currency: string): number {
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    // Currency codes are validated before they reach here, so the map stays as small as ISO 4217.
    if (digitsOf.size < 1000) digitsOf.set(currency, digits);
  }
  return digits;
}

/** Money as a decimal string in the currency's own number of minor digits (v1 shows prices so). */
export function decimalPrice(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const units = Math.abs(amount)
    .toString()
    .padStart(digits + 1, "0");
  const sign = amount < 0 ? "-" : "";
  return digits === 0 ? `${sign}${units}` : `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** A decimal string to integer minor units, refusing more decimals than the currency has or more than the money column holds. */
export function minorUnits(price: string, currency: string, field: readonly string[] = ["price"]): number {
  const digits = minorDigits(currency);
  const [units = "0", fraction = ""] = price.split(".");
  if (fraction.length > digits) {
    throw new DomainError("ValidationFailed", `${currency} prices have at most ${digits} decimals.`, [
      { detail: `at most ${digits} decimals for ${currency}`, field },
    ]);
  }
  const amount = Number(units) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  // The same bound as v2's price.amount: the money column is an int4.
  if (amount > maxMoneyAmount) {
    throw new DomainError("ValidationFailed", `Prices are at most ${decimalPrice(maxMoneyAmount, currency)} ${currency}.`, [
      { detail: `at most ${decimalPrice(maxMoneyAmount, currency)}`, field },
    ]);
  }
  return amount;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Money as people read it, e.g. "€12.90" or "¥1,290": the one place a price is formatted for display. */
export function formatMoney(amount: number, currency: string): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      return `${decimalPrice(amount, currency)} ${currency}`;
    }
    formatters.set(currency, formatter);
  }
  // A decimal string, not a float: Intl formats it exactly (no 0.1 + 0.2 surprises).
  return formatter.format(decimalPrice(amount, currency) as `${number}`);
}
