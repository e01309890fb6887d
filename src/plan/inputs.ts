/** Deployment inputs: defaults applied, unknown, missing and mistyped values reported together. */
import {
  matchesPrimitive,
  type Blueprint,
  type Diagnostic,
  type DiagnosticCode,
} from '../dsl/index.js';

/** Inputs with defaults applied, plus every problem found. */
export interface InputsResult {
  values: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

/** Applies defaults and checks the given inputs against the blueprint's declarations. */
export function resolveInputs(
  blueprint: Blueprint,
  given: Readonly<Record<string, unknown>>,
): InputsResult {
  const diagnostics: Diagnostic[] = [];
  const add = (code: DiagnosticCode, name: string, message: string): void => {
    diagnostics.push({
      code,
      severity: 'error',
      path: `inputs.${name}`,
      message,
      file: blueprint.source,
      line: 0,
      column: 0,
    });
  };
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(blueprint.inputs, name)) {
      add(
        'undeclared_input_value',
        name,
        `Unknown input '${name}': the blueprint declares ${Object.keys(blueprint.inputs).join(', ') || 'no inputs'}`,
      );
    }
  }
  for (const [name, def] of Object.entries(blueprint.inputs)) {
    if (Object.prototype.hasOwnProperty.call(given, name)) {
      const value = given[name];
      if (def.type !== undefined && value !== null && !matchesPrimitive(def.type, value)) {
        add(
          'bad_input_type',
          name,
          `Input '${name}' must be of type ${def.type}, got ${JSON.stringify(value)}`,
        );
      }
      values[name] = value;
    } else if (def.hasDefault) values[name] = structuredClone(def.default);
    else
      add(
        'missing_required_input',
        name,
        `Missing required input '${name}'${def.description ? ` (${def.description.trim()})` : ''}; pass it with -i ${name}=VALUE`,
      );
  }
  return { values, diagnostics };
}
