/** A review of a delivered order: 1–5 stars and a comment, once; or the review given. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Order } from '../api/types.js';
import { useApp } from '../context.js';
import { Field } from './ui.js';
import { useAction } from './use-action.js';

export function OrderReview(props: { order: Order }): JSX.Element | null {
  const app = useApp();
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  const o = props.order;
  if (o.status !== 'delivered') return null;
  if (o.review !== undefined && o.review !== null) {
    return (
      <section class="section card" aria-labelledby="review-title">
        <h2 id="review-title">Your review</h2>
        <p data-testid="review">
          <span aria-label={`${o.review.stars} of 5 stars`}>{'★'.repeat(o.review.stars)}{'☆'.repeat(5 - o.review.stars)}</span>
          {o.review.comment === null ? '' : ` — ${o.review.comment}`}
        </p>
      </section>
    );
  }
  const submit = (e: Event) => {
    e.preventDefault();
    if (stars < 1) {
      setError('Choose from 1 to 5 stars.');
      return;
    }
    setError(undefined);
    void action.run(async () => {
      await app.api.reviewOrder(o.id, stars, comment.trim() === '' ? undefined : comment.trim());
      app.data.refreshOrders(o.id);
    }, 'Thank you for the review.');
  };
  return (
    <form class="section card" onSubmit={submit} noValidate aria-labelledby="review-title">
      <h2 id="review-title">How was the delivery?</h2>
      <fieldset>
        <legend>Stars</legend>
        <div class="ranges" role="radiogroup" aria-label="Stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label class="check" key={n}>
              <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} />
              {n} ★
            </label>
          ))}
        </div>
        {error !== undefined && <p class="error">{error}</p>}
      </fieldset>
      <Field id="review-comment" label="Comment" hint="Optional.">
        {(aria) => <textarea {...aria} rows={3} maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />}
      </Field>
      {action.status}
      <div class="actions spaced">
        <button type="submit" class="primary" disabled={action.busy}>
          Send the review
        </button>
      </div>
    </form>
  );
}
