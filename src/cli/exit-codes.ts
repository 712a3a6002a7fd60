/** Exit codes CI understands (the ESLint convention, see cli.md). */
export const EXIT_OK = 0;
/** The input has errors, or the output is out of date (`--check`). */
export const EXIT_PROBLEMS = 1;
/** Usage, I/O or internal failure. */
export const EXIT_FATAL = 2;
