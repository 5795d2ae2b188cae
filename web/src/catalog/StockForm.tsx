import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { ApiProblem, describeError, NetworkError } from "../api/problem";
import type { Product, StockLevel, StockMovementKind } from "../api/types";
import { useServices } from "../app-context";
import { newIdempotencyKey } from "./idempotency-key";

const kinds: { value: StockMovementKind; label: string; hint: string }[] = [
  { value: "receive", label: "Receive", hint: "Goods arrived: adds to on-hand stock." },
  { value: "adjust", label: "Correct count", hint: "A counted difference, plus or minus; give a reason." },
  { value: "reserve", label: "Reserve", hint: "Hold stock for an order." },
  { value: "release", label: "Release", hint: "Cancel a hold." },
  { value: "ship", label: "Ship", hint: "Reserved goods left the stockroom." },
];

type Outcome = { kind: "success" | "error"; text: string };

/** Words for a refused movement: 409 and 422 say what happened and what to do. */
function refusal(error: unknown, product: Product, seenVersion: number): string {
  if (error instanceof ApiProblem && error.status === 409) {
    return `Not recorded: the stock of ${product.name} changed since you opened this form (you saw version ${seenVersion}). Check the new level above, then submit again.`;
  }
  if (error instanceof ApiProblem && error.status === 422) {
    return `Not recorded: that would break a stock rule. ${error.problem.detail ?? ""}`.trim();
  }
  return `Not recorded: ${describeError(error)}`;
}

type Props = { product: Product; level: StockLevel; onClose: () => void };

/**
 * Records a movement with the version the user saw (`expectedVersion`): if someone moved the
 * stock meanwhile the server answers 409 and nothing is written. The new level is not taken from
 * the answer: it arrives like everyone else's, from the live inventory feed.
 */
export function StockForm({ product, level, onClose }: Props) {
  const { api } = useServices();
  const uid = useId();
  const [kind, setKind] = useState<StockMovementKind>("receive");
  const [quantity, setQuantity] = useState("1");
  const [reason, setReason] = useState("");
  const [seen, setSeen] = useState(level.version);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  // One key per submission; kept only when a submission got no answer, so "submit again" repeats it safely.
  const pendingKey = useRef<string | undefined>(undefined);
  const dialog = useRef<HTMLDialogElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // A modal dialog: focus moves into it (its first field), stays there, Escape closes it.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const hint = kinds.find((k) => k.value === kind)?.hint;
  const changed = level.version !== seen;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = Number(quantity);
    if (!Number.isInteger(amount) || amount === 0 || (kind !== "adjust" && amount < 0)) {
      setOutcome({
        kind: "error",
        text: kind === "adjust" ? "Enter a whole number other than 0." : "Enter a whole number above 0.",
      });
      return;
    }
    if (kind === "adjust" && !reason.trim()) {
      setOutcome({ kind: "error", text: "A count correction needs a reason." });
      return;
    }
    const key = pendingKey.current ?? newIdempotencyKey();
    pendingKey.current = key;
    setBusy(true);
    setOutcome(undefined);
    try {
      const answer = await api.rest.adjustStock(
        product.id,
        { kind, quantity: amount, reason: reason.trim() || undefined, expectedVersion: seen },
        key,
      );
      pendingKey.current = undefined;
      setSeen(answer.version);
      setOutcome({ kind: "success", text: `Recorded. The stock is now at version ${answer.version}.` });
    } catch (error) {
      if (!(error instanceof NetworkError)) pendingKey.current = undefined;
      setOutcome({ kind: "error", text: refusal(error, product, seen) });
      // The next submission is based on the freshest level this page knows.
      if (error instanceof ApiProblem && error.status === 409) setSeen(level.version);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="stock-dialog" aria-labelledby={`${uid}-title`} onClose={onClose}>
      <form className="stock-form" onSubmit={submit} noValidate>
        <h2 id={`${uid}-title`} className="stock-dialog__title">
          Change stock: {product.name}
        </h2>
        <p className="stock-dialog__level">
          Available <strong>{level.available}</strong> · on hand {level.onHand} · reserved {level.reserved}
        </p>
        <div className="field">
          <label htmlFor={`${uid}-kind`}>Movement</label>
          <select
            id={`${uid}-kind`}
            value={kind}
            onChange={(e) => setKind(e.target.value as StockMovementKind)}
            aria-describedby={`${uid}-hint`}
          >
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
          <p id={`${uid}-hint`} className="field__hint">
            {hint}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-quantity`}>Quantity</label>
          <input
            id={`${uid}-quantity`}
            type="number"
            inputMode="numeric"
            step={1}
            required
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-reason`}>Reason {kind === "adjust" ? "(required)" : "(optional)"}</label>
          <input
            id={`${uid}-reason`}
            type="text"
            maxLength={500}
            value={reason}
            required={kind === "adjust"}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <p className="field__hint">
          Based on stock version {seen}.
          {changed && " The stock has changed since; submitting will be refused unless you check it first."}
        </p>
        <div className="stock-form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Recording…" : "Record movement"}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
        <div
          ref={outcomeRef}
          tabIndex={-1}
          className={outcome ? `outcome outcome--${outcome.kind}` : "outcome"}
          role={outcome?.kind === "error" ? "alert" : "status"}
        >
          {outcome?.text}
        </div>
      </form>
    </dialog>
  );
}
