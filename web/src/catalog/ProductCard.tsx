import { useId, useRef, useState } from "react";
import type { Product } from "../api/types";
import { useServices } from "../app-context";
import { formatMoney } from "./money";
import { StockForm } from "./StockForm";
import { useStockLevel } from "./stock-levels";

/** One product: name, category, price and its live available stock; staff get the stock form. */
export function ProductCard({ product, staff }: { product: Product; staff: boolean }) {
  const { stock } = useServices();
  const level = useStockLevel(stock, product.id) ?? product.stock;
  const [open, setOpen] = useState(false);
  const uid = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <article className="product" data-testid={`product-${product.id}`} aria-labelledby={`${uid}-name`}>
      <div className="product__head">
        <h3 id={`${uid}-name`} className="product__name">
          {product.name}
        </h3>
        {product.category && <span className="badge">{product.category.name}</span>}
      </div>
      <p className="product__description">{product.description}</p>
      <dl className="product__facts">
        <div>
          <dt>Price</dt>
          <dd className="product__price">{formatMoney(product.price)}</dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd>
            <span className={level.available > 0 ? "stock" : "stock stock--out"} data-testid={`stock-${product.id}`}>
              {level.available}
            </span>
          </dd>
        </div>
        <div>
          <dt>SKU</dt>
          <dd className="product__sku">{product.sku}</dd>
        </div>
      </dl>
      {level.reserved > 0 && (
        <p className="product__note">
          {level.onHand} on hand, {level.reserved} reserved
        </p>
      )}
      {staff && (
        <>
          <button
            ref={toggle}
            type="button"
            className="button button--secondary product__toggle"
            aria-haspopup="dialog"
            onClick={() => setOpen(true)}
          >
            Change stock
          </button>
          {open && <StockForm product={product} level={level} onClose={close} />}
        </>
      )}
    </article>
  );
}
