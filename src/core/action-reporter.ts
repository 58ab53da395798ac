/** The Reporter of an action: the runner's log groups, annotations and debug log. */
import * as core from '@actions/core';
import type { Reporter } from './reporter.js';

export function actionReporter(): Reporter {
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    debug: (m) => core.debug(m),
    group: (name, fn) => core.group(name, fn),
    annotate(a) {
      const properties: core.AnnotationProperties = {
        title: a.title,
        file: a.file,
        startLine: a.line,
        endLine: a.endLine ?? a.line,
        startColumn: a.column,
      };
      if (a.level === 'error') core.error(a.message, properties);
      else if (a.level === 'warning') core.warning(a.message, properties);
      else core.notice(a.message, properties);
    },
  };
}
