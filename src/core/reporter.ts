/**
 * How an engine tells the world what it is doing, without knowing whether it runs in an action
 * (log groups, annotations) or on a terminal (the CLI). Engines take a Reporter; front ends
 * provide one: `actionReporter()` in ./action-reporter.ts, `consoleReporter()` here.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  /** Workspace-relative, `/`-separated. */
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
}

export interface Reporter {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Runs `fn` inside a named, collapsible section of the log. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  annotate(annotation: Annotation): void;
}

export interface ConsoleReporterOptions {
  verbose?: boolean;
  /** Where human-readable logs go. Defaults to stderr, so stdout stays free for reports. */
  write?: (text: string) => void;
}

/** A terminal reporter for the CLI: plain lines on stderr, groups as headings. */
export function consoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const line = (text: string) => write(`${text}\n`);
  return {
    info: line,
    warning: (message) => line(`warning: ${message}`),
    error: (message) => line(`error: ${message}`),
    debug: (message) => {
      if (options.verbose) line(`debug: ${message}`);
    },
    async group(name, fn) {
      line(`== ${name}`);
      return fn();
    },
    annotate(a) {
      const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}${a.column ? `:${a.column}` : ''}: ` : '';
      line(`${where}${a.level}: ${a.title ? `${a.title}: ` : ''}${a.message}`);
    },
  };
}

/** A reporter that records everything, for tests and for callers that want to inspect logs. */
export interface RecordingReporter extends Reporter {
  readonly lines: string[];
  readonly annotations: Annotation[];
}

export function recordingReporter(): RecordingReporter {
  const lines: string[] = [];
  const annotations: Annotation[] = [];
  return {
    lines,
    annotations,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    async group(name, fn) {
      lines.push(`group: ${name}`);
      return fn();
    },
    annotate: (a) => annotations.push(a),
  };
}
