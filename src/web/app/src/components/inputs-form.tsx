/**
 * A form generated from declared inputs or workflow parameters (`{name: {type?, default?,
 * description?}}`): text fields, number fields for integer/float, a checkbox for boolean.
 * Untyped values are read as JSON when they parse (so lists and dicts work), else as text.
 */
import { useId } from 'react';

/** A declared input / parameter. */
export interface Declared {
  type?: string;
  default?: unknown;
  description?: string;
}

/** Form state: the text of each field (checkboxes hold 'true' / 'false'). */
export type FormValues = Record<string, string>;

/** Initial texts: the defaults. */
export function initialValues(declared: Record<string, Declared>): FormValues {
  const values: FormValues = {};
  for (const [name, d] of Object.entries(declared)) {
    if (d.type === 'boolean') values[name] = String(d.default === true);
    else values[name] = d.default === undefined ? '' : typeof d.default === 'string' ? d.default : JSON.stringify(d.default);
  }
  return values;
}

/** The values to send: empty fields with a default are left out (the manager applies it). */
export function collectValues(declared: Record<string, Declared>, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(declared)) {
    const text = values[name] ?? '';
    if (d.type === 'boolean') {
      out[name] = text === 'true';
      continue;
    }
    if (text === '' && d.default !== undefined) continue;
    if (text === '' && d.type !== 'string') continue; // missing: the manager names it
    if (d.type === 'integer' || d.type === 'float') out[name] = Number(text);
    else if (d.type === 'string') out[name] = text;
    else {
      try {
        out[name] = JSON.parse(text);
      } catch {
        out[name] = text;
      }
    }
  }
  return out;
}

export function InputsForm(props: { declared: Record<string, Declared>; values: FormValues; onChange: (values: FormValues) => void; legend: string }) {
  const base = useId();
  const names = Object.keys(props.declared);
  if (names.length === 0) return <p className="muted">No {props.legend.toLowerCase()} declared.</p>;
  return (
    <fieldset className="inputs-form">
      <legend>{props.legend}</legend>
      {names.map((name) => {
        const d = props.declared[name] ?? {};
        const id = `${base}-${name}`;
        const value = props.values[name] ?? '';
        const set = (v: string) => props.onChange({ ...props.values, [name]: v });
        const hint = `${d.type ?? 'any'}${d.default === undefined ? ', required' : ''}${d.description ? ` — ${d.description}` : ''}`;
        return (
          <div className="field" key={name}>
            {d.type === 'boolean' ? (
              <label htmlFor={id}>
                <input id={id} type="checkbox" checked={value === 'true'} onChange={(e) => set(String(e.target.checked))} /> {name}
              </label>
            ) : (
              <>
                <label htmlFor={id}>{name}</label>
                <input
                  id={id}
                  name={name}
                  type={d.type === 'integer' || d.type === 'float' ? 'number' : 'text'}
                  step={d.type === 'float' ? 'any' : undefined}
                  value={value}
                  required={d.default === undefined}
                  aria-describedby={`${id}-hint`}
                  onChange={(e) => set(e.target.value)}
                />
              </>
            )}
            <small id={`${id}-hint`}>{hint}</small>
          </div>
        );
      })}
    </fieldset>
  );
}
