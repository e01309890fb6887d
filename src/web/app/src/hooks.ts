/** Data hooks: one-shot loads and server-side paginated lists. */
import { useCallback, useEffect, useState } from 'react';
import { get, type Page, type QueryValues } from './api.js';

/** Loads `load()` on mount and when `deps` change; `reload()` loads again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): {
  data: T | undefined;
  error: unknown;
  reload: () => void;
} {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        setData(value);
        setError(undefined);
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

/** A server-side paginated list (`_offset`, `_size`), reloaded when `query` changes. */
export function usePaged<T>(path: string, query: QueryValues, size = 25): {
  page: Page<T> | undefined;
  error: unknown;
  offset: number;
  setOffset: (offset: number) => void;
  reload: () => void;
} {
  const [offset, setOffset] = useState(0);
  const key = JSON.stringify(query);
  useEffect(() => setOffset(0), [key]);
  const { data, error, reload } = useLoad((signal) => get<Page<T>>(path, { ...query, _offset: offset, _size: size }, signal), [path, key, offset, size]);
  return { page: data, error, offset, setOffset, reload };
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  }, [tick, ms, active]);
}

/**
 * A user action (submit, upload, restore...): `run(fn)` marks it busy, clears the last error,
 * runs `fn` and keeps what it threw for an error box.
 */
export function useAction(): { busy: boolean; error: unknown; run: (fn: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
