/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on
 * anything a scraper could reject or misread. Every family needs `# HELP` then `# TYPE` before
 * its samples, samples of a family are contiguous, names and labels follow the grammar, label
 * values use only the `\\`, `\"` and `\n` escapes, values are Go floats (NaN, ±Inf included),
 * no series repeats, counters are not negative, and the text ends with a newline.
 */

export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|NaN|Inf)$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text !== "" && !text.endsWith("\n")) throw new Error("the text does not end with a newline");
  const families = new Map<string, PromFamily>();
  const pendingHelp = new Map<string, string>();
  const series = new Set<string>();
  let current: PromFamily | null = null;
  const lines = text === "" ? [] : text.slice(0, -1).split("\n");
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line.startsWith("# HELP ")) {
      const match = /^# HELP (\S+) (.*)$/.exec(line);
      if (!match?.[1] || match[2] === undefined) throw new Error(`${where}: malformed HELP`);
      const [, name, help] = match;
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (families.has(name) || pendingHelp.has(name)) throw new Error(`${where}: second HELP for ${name}`);
      if (/\\[^\\n]/.test(help.replaceAll("\\\\", ""))) throw new Error(`${where}: bad escape in HELP`);
      pendingHelp.set(name, help);
      return;
    }
    if (line.startsWith("# TYPE ")) {
      const match = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (!match?.[1] || !match[2]) throw new Error(`${where}: malformed TYPE`);
      const [, name, type] = match;
      if (!TYPES.has(type)) throw new Error(`${where}: unknown type ${type}`);
      if (families.has(name)) throw new Error(`${where}: family ${name} declared twice or not contiguous`);
      const help = pendingHelp.get(name);
      if (help === undefined) throw new Error(`${where}: TYPE without a HELP before it`);
      current = { name, help, type, samples: [] };
      families.set(name, current);
      return;
    }
    if (line.startsWith("#") || line.trim() === "") throw new Error(`${where}: unexpected comment or blank line`);
    const sample = parseSample(line, where);
    const family: PromFamily | null = current;
    if (family === null || family.name !== sample.name) throw new Error(`${where}: sample outside its family's block`);
    const key = `${sample.name}{${Object.entries(sample.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",")}}`;
    if (series.has(key)) throw new Error(`${where}: duplicate series ${key}`);
    series.add(key);
    if (family.type === "counter" && sample.value < 0) throw new Error(`${where}: negative counter`);
    family.samples.push({ labels: sample.labels, value: sample.value });
  });
  for (const name of pendingHelp.keys()) if (!families.has(name)) throw new Error(`HELP for ${name} without TYPE`);
  for (const family of families.values()) if (family.samples.length === 0) throw new Error(`family ${family.name} has no sample`);
  return families;
}

function parseSample(line: string, where: string): { name: string; labels: Record<string, string>; value: number } {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`${where}: no metric name`);
  const name = nameMatch[0];
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === "{") {
    position += 1;
    while (line[position] !== "}") {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(position));
      if (!labelMatch?.[1]) throw new Error(`${where}: bad label at column ${position + 1}`);
      const labelName = labelMatch[1];
      if (!LABEL_NAME.test(labelName) || labelName.startsWith("__")) throw new Error(`${where}: reserved or bad label name`);
      if (labelName in labels) throw new Error(`${where}: label ${labelName} twice`);
      position += labelMatch[0].length;
      let value = "";
      for (;;) {
        const character = line[position];
        if (character === undefined) throw new Error(`${where}: unterminated label value`);
        position += 1;
        if (character === '"') break;
        if (character === "\\") {
          const escaped = line[position];
          position += 1;
          if (escaped === "\\") value += "\\";
          else if (escaped === '"') value += '"';
          else if (escaped === "n") value += "\n";
          else throw new Error(`${where}: bad escape \\${escaped ?? ""}`);
        } else {
          value += character;
        }
      }
      labels[labelName] = value;
      if (line[position] === ",") position += 1;
      else if (line[position] !== "}") throw new Error(`${where}: expected , or } after a label`);
    }
    position += 1;
  }
  const rest = line.slice(position);
  const valueMatch = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!valueMatch?.[1]) throw new Error(`${where}: expected " value [timestamp]"`);
  const valueText = valueMatch[1];
  if (!FLOAT.test(valueText)) throw new Error(`${where}: bad value ${valueText}`);
  const value = valueText.endsWith("NaN") ? Number.NaN : valueText.endsWith("Inf") ? (valueText.startsWith("-") ? -Infinity : Infinity) : Number(valueText);
  return { name, labels, value };
}
