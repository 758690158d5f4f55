export { type Bar, bar, formatBarChart } from './chart';
export { completeWords, completionScript } from './completion';
export { CONFIG_VARIABLE, type CliConfigFile, configFilePath, readConfigFile } from './config-file';
export { type Connection, type ConnectionFlags, clientOptions, resolveConnection } from './connection';
export {
  ENDPOINT_VARIABLE,
  type EndpointFlags,
  endpointsFromBase,
  isMailtrap,
  MAILTRAP_ENDPOINTS,
  resolveEndpoints,
} from './endpoints';
export { CliUsageError } from './errors';
export { EXIT_CODES, type ExitCode, exitCodesHelp } from './exit-codes';
export { type CliIo, processIo } from './io';
export { writeJson, writeJsonLine } from './json';
export {
  accountIdOption,
  addConnectionOptions,
  configOption,
  durationOption,
  durationParser,
  endpointOption,
  formatDuration,
  hostEndpointOptions,
  integerParser,
  jsonOption,
  rateOption,
  streamOption,
  tokenOption,
} from './options';
export {
  action,
  COMPLETE_COMMAND,
  createProgram,
  describeError,
  examplesOf,
  ioOf,
  keepSecret,
  type ProgramSettings,
  runProgram,
  withExamples,
} from './program';
export { formatRate, parseRate, type Rate } from './rate';
export { displayWidth, formatFields, formatTable, type TableColumn } from './table';
export {
  findToken,
  maskToken,
  type ResolvedToken,
  redactToken,
  requireToken,
  TOKEN_VARIABLE,
  type TokenSources,
  tokenHint,
} from './token';
export { type Command, InvalidArgumentError, Option } from 'commander';
export { collect, parseAddress } from './address';
