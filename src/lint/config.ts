/**
 * Which rules run, at which level, with which options: each rule's defaults, then `.halbrc.json`
 * (validated against schemas/halbrc.schema.json, and each rule's options against its own schema),
 * then `--rule ID=LEVEL` flags. Every mistake is a ConfigError naming the file and the key.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { HaproxyVersion } from "../ir/types.js";
import { packagePath } from "../package-root.js";
import { knownRuleKeys, refId, resolveRuleRef } from "./registry.js";
import type { RuleLevel } from "./rule.js";

export const CONFIG_FILE_NAME = ".halbrc.json";
const CONFIG_SCHEMA_PATH = packagePath("schemas/halbrc.schema.json");

export class ConfigError extends Error {}

export interface RuleSetting {
  readonly level: RuleLevel;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface LintConfig {
  /** By rule id or compiler warning code; absent means the rule's default. */
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly maxWarnings?: number;
  /** Absolute paths that discovery skips. */
  readonly ignore: readonly string[];
  readonly targetHaproxy?: HaproxyVersion;
}

type LevelWord = "off" | "info" | "warn" | "warning" | "error";
interface ConfigFile {
  rules?: Record<string, LevelWord | [LevelWord, Record<string, unknown>?]>;
  maxWarnings?: number;
  ignore?: string[];
  targetHaproxy?: HaproxyVersion;
}

export function defaultConfig(): LintConfig {
  return { rules: new Map(), ignore: [] };
}

/** The level and options a rule runs with under this config. */
export function settingFor(config: LintConfig, id: string, defaultLevel: RuleLevel, defaults: Readonly<Record<string, unknown>> = {}): RuleSetting {
  const set = config.rules.get(id);
  return { level: set?.level ?? defaultLevel, options: { ...defaults, ...(set?.options ?? {}) } };
}

let fileValidator: ValidateFunction<ConfigFile> | undefined;
const optionValidators = new Map<string, ValidateFunction>();

function ajv(): Ajv2020 {
  // strictTuples off: a rule entry is [level] or [level, options], a tuple whose second item is optional.
  return new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
}

/** Parses and validates a config file's text; `dir` is the folder `ignore` entries are relative to. */
export function parseConfig(text: string, file: string, dir: string): LintConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  fileValidator ??= ajv().compile<ConfigFile>(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, "utf8")));
  if (!fileValidator(data)) throw new ConfigError(`${file}: ${describe(fileValidator.errors?.[0])}.`);
  const rules = new Map<string, RuleSetting>();
  for (const [key, value] of Object.entries(data.rules ?? {})) {
    const [level, options] = Array.isArray(value) ? value : [value, undefined];
    rules.set(...ruleSetting(key, level, options, `${file}: rules.${key}`));
  }
  return {
    rules,
    ...(data.maxWarnings !== undefined ? { maxWarnings: data.maxWarnings } : {}),
    ignore: (data.ignore ?? []).map((entry) => joinPath(dir, entry)),
    ...(data.targetHaproxy ? { targetHaproxy: data.targetHaproxy } : {}),
  };
}

/** `--rule ID=LEVEL` flags on top of a config. */
export function withRuleFlags(config: LintConfig, flags: readonly string[]): LintConfig {
  const rules = new Map(config.rules);
  for (const flag of flags) {
    const match = /^([^=]+)=(.*)$/.exec(flag);
    if (!match) throw new ConfigError(`--rule ${flag}: expected ID=off|info|warn|error, such as PAIR007=error.`);
    const [key, level] = ruleSetting(match[1]!.trim(), match[2]!.trim() as LevelWord, undefined, `--rule ${flag}`);
    const previous = rules.get(key);
    rules.set(key, { level: level.level, options: previous?.options ?? {} });
  }
  return { ...config, rules };
}

function ruleSetting(key: string, levelWord: LevelWord, options: Record<string, unknown> | undefined, where: string): [string, RuleSetting] {
  const ref = resolveRuleRef(key);
  if (!ref) throw new ConfigError(`${where}: unknown rule \`${key}\`.${didYouMean(key, knownRuleKeys())}`);
  const level = levelOf(levelWord);
  if (!level) throw new ConfigError(`${where}: unknown level \`${levelWord}\`; use off, info, warn or error.`);
  const id = refId(ref);
  if (options !== undefined) {
    const schema = ref.kind === "rule" ? ref.rule.meta.options?.schema : undefined;
    if (!schema) throw new ConfigError(`${where}: rule ${id} takes no options.`);
    let validate = optionValidators.get(id);
    if (!validate) optionValidators.set(id, (validate = ajv().compile(schema)));
    if (!validate(options)) throw new ConfigError(`${where}: ${describe(validate.errors?.[0])}.`);
  }
  return [id, { level, options: options ?? {} }];
}

function levelOf(word: string): RuleLevel | undefined {
  switch (word) {
    case "off":
    case "info":
    case "error":
      return word;
    case "warn":
    case "warning":
      return "warning";
    default:
      return undefined;
  }
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return "invalid";
  const at = error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, ".")} ` : "";
  const extra = error.keyword === "additionalProperties" ? ` (\`${String(error.params["additionalProperty"])}\`)` : "";
  const allowed = error.keyword === "enum" ? `: ${(error.params["allowedValues"] as unknown[]).join(", ")}` : "";
  return `${at}${error.message ?? "invalid"}${extra}${allowed}`;
}

function joinPath(dir: string, entry: string): string {
  return resolve(dir, entry);
}

/**
 * The config in force: FILE when given, else `.halbrc.json` in `cwd` or the nearest parent folder,
 * else the defaults. Returns the file it read too, for messages.
 */
export function loadConfig(cwd: string, explicit?: string): { config: LintConfig; file?: string } {
  const file = explicit ? resolve(cwd, explicit) : findUp(cwd);
  if (!file) return { config: defaultConfig() };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${explicit ?? file}: cannot read the config file (${code === "ENOENT" ? "no such file" : (code ?? "unknown error")}).`);
  }
  return { config: parseConfig(text, explicit ?? file, dirname(file)), file };
}

function findUp(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
