import type { Money } from "../api/types";

const formatters = new Map<string, Intl.NumberFormat>();

/** "€12.90" from { amount: 1290, currency: "EUR" } (amounts are minor units). */
export function formatMoney({ amount, currency }: Money): string {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    formatters.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
