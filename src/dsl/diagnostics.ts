/**
 * Diagnostics: every problem the parser finds, with where it is. Validation collects them all;
 * only the CLI/API boundary turns error diagnostics into a thrown {@link UserError}.
 */
import { UserError } from '../core/index.js';

/** Every diagnostic code the DSL stage emits, with its meaning (documented in docs/errors/dsl.md). */
export const DIAGNOSTIC_CODES = {
  yaml_syntax: 'The file is not valid YAML.',
  not_a_mapping: 'A section or definition that must be a mapping is something else.',
  bad_value: 'A value has the wrong shape (e.g. a list where a string is expected).',
  missing_tosca_version: 'The main blueprint has no tosca_definitions_version.',
  unknown_tosca_version:
    'tosca_definitions_version is not one of cloudify_dsl_1_0 .. cloudify_dsl_1_3.',
  feature_needs_newer_version: 'A key is used that the declared DSL version does not support.',
  unknown_key: 'A key that the DSL does not define.',
  unresolvable_import:
    'An import could not be found (unknown URL without a mapping, or a missing file).',
  import_conflict: 'Two imported files define the same name differently.',
  unknown_type:
    'A node type, relationship type, data type, policy type or trigger type that is not defined.',
  derived_from_cycle: 'A type derives (transitively) from itself.',
  missing_required_property: 'A required property has no value and no default.',
  bad_property_type: 'A property value does not match its declared type.',
  unknown_property: 'A node template or data type value sets a property its type does not declare.',
  multiple_contained_in: 'A node template has more than one contained_in relationship.',
  contained_in_cycle: 'Node templates are contained in each other.',
  relationship_target_missing: 'A relationship names a target node template that does not exist.',
  relationship_missing_field: 'A relationship has no type or no target.',
  undeclared_plugin:
    'An operation or workflow mapping names a plugin the blueprint does not declare.',
  script_not_found: 'An operation maps to a script file that is not in the blueprint folder.',
  script_plugin_missing:
    'A script mapping is used but no `script` plugin is declared (import types.yaml).',
  host_agent_without_host:
    'A host_agent operation is used on a node that is not contained in a Compute node.',
  operation_input_missing: 'An operation input declared without a default gets no value.',
  bad_executor: 'executor is not central_deployment_agent or host_agent.',
  bad_function: 'An intrinsic function has bad arguments or an unknown reference.',
  function_cycle: 'get_property references form a cycle.',
  unknown_input: 'get_input names an input the blueprint does not declare.',
  property_path_missing: 'get_property names a property (or path) that does not exist.',
  bad_connection_type: 'connection_type is not all_to_all or all_to_one.',
  bad_instances: 'instances.deploy is not a non-negative integer.',
  group_member_missing: 'A group member (or policy target) is not a node template or group.',
  missing_required_input: 'Plan: a blueprint input without a default was not given a value.',
  undeclared_input_value: 'Plan: a value was given for an input the blueprint does not declare.',
  bad_input_type: "Plan: an input value does not match the input's declared type.",
} as const;

/** A stable diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export type Severity = 'error' | 'warning';

/** One problem, with where it is. `line`/`column` are 1-based; 0 when unknown. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Dotted path into the blueprint, e.g. `node_templates.vm.properties.image`. */
  path: string;
  message: string;
  file: string;
  line: number;
  column: number;
}

/** Path segments into a YAML document. */
export type PathSegments = readonly (string | number)[];

/** Resolves a path inside a file to a 1-based line and column. */
export type Locator = (
  file: string,
  path: PathSegments,
  key: boolean,
) => { line: number; column: number };

/** Collects diagnostics; locations are resolved lazily through a {@link Locator}. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  readonly #seen = new Set<string>();
  constructor(private readonly locate: Locator) {}

  /**
   * Adds a diagnostic at `path` in `file`. With `key`, points at the mapping key instead of
   * its value (used for unknown keys).
   */
  add(
    code: DiagnosticCode,
    file: string,
    path: PathSegments,
    message: string,
    options: { severity?: Severity; key?: boolean } = {},
  ): void {
    const id = `${code}\u0000${file}\u0000${path.join('.')}\u0000${message}`;
    if (this.#seen.has(id)) return; // the same type-level problem seen through many templates
    this.#seen.add(id);
    const { line, column } = this.locate(file, path, options.key ?? false);
    this.items.push({
      code,
      severity: options.severity ?? 'error',
      path: path.join('.'),
      message,
      file,
      line,
      column,
    });
  }

  /** True when an error (not a warning) was reported. */
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Errors first by file, line, column: the order people read them in. */
export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  return [...items].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1,
  );
}

/** `file:line:column: message` as compilers print it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message} [${d.code}]`;
}

/** The user error thrown at a boundary when a blueprint has error diagnostics. */
export function invalidBlueprintError(diagnostics: readonly Diagnostic[]): UserError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const summary = first ? formatDiagnostic(first) : 'unknown problem';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new UserError('invalid_blueprint_error', `Invalid blueprint: ${summary}${more}`, {
    details: { diagnostics: errors },
    hints: errors.slice(1, 20).map(formatDiagnostic),
  });
}
