/** The DSL stage: blueprint YAML -> {@link Blueprint} + diagnostics. */
export {
  parseBlueprint,
  forEachFunctionSite,
  type ParseOptions,
  type ParseResult,
} from './parse.js';
export { parseBlueprintFile, type ParseFileOptions } from './parse-file.js';
export {
  DIAGNOSTIC_CODES,
  formatDiagnostic,
  invalidBlueprintError,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from './diagnostics.js';
export {
  createImportResolver,
  parseImportMapping,
  wellKnownImport,
  type FileReaderPort,
  type ImportFailure,
  type ImportMapping,
  type ImportResolver,
  type ImportResolverOptions,
  type ResolvedImport,
} from './resolver.js';
export { defaultResourcesDir, nodeFileReader } from './node-files.js';
export {
  StaticEvaluator,
  UNKNOWN,
  containsRuntimeFunction,
  containsFunction,
  operationsContainFunction,
  functionName,
  isFunctionCall,
  FUNCTION_NAMES,
  type FunctionEnvironment,
  type FunctionError,
  type FunctionErrorCode,
  type FunctionScope,
} from './functions.js';
export { matchesPrimitive } from './properties.js';
export { isMapping, pyStr, cloneData, type Mapping } from './util.js';
export * from './types.js';
