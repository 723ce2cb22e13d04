/** A user action against the API: busy while it runs, its failure in words, or a line saying it worked. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../api/api-failure.js';
import { FailureNotice } from './ui.js';

export interface Action {
  readonly busy: boolean;
  readonly failure: ApiFailure | undefined;
  /** Runs `task`; `done` is said when it succeeds. */
  readonly run: (task: () => Promise<unknown>, done?: string) => Promise<void>;
  /** The failure notice or the success line, where the page wants it. */
  readonly status: JSX.Element;
}

export function asFailure(error: unknown): ApiFailure {
  return error instanceof ApiFailure ? error : new ApiFailure('CLIENT', 0, error instanceof Error ? error.message : String(error));
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const run = async (task: () => Promise<unknown>, message?: string) => {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    try {
      await task();
      setDone(message);
    } catch (error) {
      setFailure(asFailure(error));
    } finally {
      setBusy(false);
    }
  };
  const status = (
    <>
      {failure !== undefined && <FailureNotice failure={failure} />}
      {done !== undefined && (
        <p class="notice soft" role="status">
          {done}
        </p>
      )}
    </>
  );
  return { busy, failure, run, status };
}
