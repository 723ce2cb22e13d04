/** Enter the level read off the tank's dial, by hand (a tank with no sensor, or a check on one). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Tank } from '../api/types.js';
import { useApp } from '../context.js';
import { Dialog, Field } from './ui.js';
import { useAction } from './use-action.js';

export function ManualLevelForm(props: { tank: Tank }): JSX.Element {
  const app = useApp();
  const [open, setOpen] = useState(false);
  const [percent, setPercent] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = useAction();
  const id = `level-${props.tank.id}`;
  const submit = (e: Event) => {
    e.preventDefault();
    const n = Number(percent);
    if (percent.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      setError('A percent from 0 to 100, as the dial shows it.');
      return;
    }
    setError(undefined);
    void action.run(async () => {
      await app.api.addLevel(props.tank.id, n);
      setOpen(false);
      setPercent('');
      app.data.refreshOrders();
    });
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Enter a level
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={`${id}-title`}>
        <form onSubmit={submit} noValidate>
          <h2 id={`${id}-title`}>Level of {props.tank.name}</h2>
          <Field id={id} label="Level now (%)" error={error} hint="As the dial on the tank shows it.">
            {(aria) => <input {...aria} inputMode="decimal" value={percent} onInput={(e) => setPercent(e.currentTarget.value)} />}
          </Field>
          {action.status}
          <div class="actions spaced">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={action.busy}>
              Save the level
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
