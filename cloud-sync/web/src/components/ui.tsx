/** Small building blocks: links that navigate in-app, pills, notices, empty states, fields, dialogs. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import { useApp } from '../context.js';
import { failureWords } from '../logic/error-words.js';

export function Link(props: { href: string; children: ComponentChildren; class?: string; current?: boolean }): JSX.Element {
  const app = useApp();
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props.current === true ? 'page' : undefined}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        app.navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

export type PillTone = 'ok' | 'warning' | 'critical' | 'info' | 'stale' | 'neutral';

export function Pill(props: { tone: PillTone; children: ComponentChildren; title?: string }): JSX.Element {
  return (
    <span class={`pill ${props.tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** An API failure in words, with what to do and, when it helps, a retry. */
export function FailureNotice(props: { failure: ApiFailure; retry?: () => void; context?: string }): JSX.Element {
  const words = failureWords(props.failure);
  return (
    <div class="notice" role="alert">
      <div>
        <strong>{props.context === undefined ? words.title : `${props.context}: ${words.title.charAt(0).toLowerCase()}${words.title.slice(1)}`}</strong>
        <p>{words.action}</p>
      </div>
      {props.retry !== undefined && (
        <button type="button" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState(props: { title: string; children: ComponentChildren; action?: ComponentChildren }): JSX.Element {
  return (
    <div class="card empty">
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}

export function Loading(props: { what: string }): JSX.Element {
  return (
    <p class="muted" role="status">
      Loading {props.what}…
    </p>
  );
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => ComponentChildren;
}): JSX.Element {
  const described = [props.hint !== undefined ? `${props.id}-hint` : '', props.error !== undefined ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({ id: props.id, ...(described === '' ? {} : { 'aria-describedby': described }), ...(props.error !== undefined ? { 'aria-invalid': 'true' } : {}) })}
      {props.hint !== undefined && (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      {props.error !== undefined && (
        <span class="error" id={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A modal <dialog>: the browser traps focus and closes it on Escape. */
export function Dialog(props: { open: boolean; onClose: () => void; labelledBy: string; children: ComponentChildren }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={props.labelledBy} onClose={props.onClose}>
      {props.open && props.children}
    </dialog>
  );
}

/** Asks before something that cannot be undone, saying what is lost. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  return (
    <Dialog open={props.open} onClose={props.onCancel} labelledBy="confirm-title">
      <h2 id="confirm-title">{props.title}</h2>
      <div>{props.children}</div>
      <div class="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class={props.danger === true ? 'danger' : 'primary'} disabled={props.busy === true} onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}

export function CopyButton(props: { text: string; label: string }): JSX.Element {
  const button = useRef<HTMLButtonElement>(null);
  return (
    <button
      type="button"
      ref={button}
      onClick={() => {
        void navigator.clipboard
          ?.writeText(props.text)
          .then(() => {
            if (button.current !== null) button.current.textContent = 'Copied';
          })
          .catch(() => undefined);
      }}
    >
      {props.label}
    </button>
  );
}
