/**
 * HAProxy's `hdr_dom(host) -i PATTERN` (match method `dom`, pat_match_dom → match_word in
 * src/pattern.c): the pattern, without leading or trailing delimiters, must stand in the value as
 * whole "words", starting at the beginning or right after a delimiter and ending at the end or
 * right before one. The delimiters are `/ ? . :`, so a port in the Host header still matches, and
 * so does `example.com.evil.net` for `example.com` (HAProxy's gotcha, reproduced on purpose).
 */
const DELIMITERS = new Set(["/", "?", ".", ":"]);

/** The pattern as match_word uses it: lower-cased (`-i`) and trimmed of delimiters at both ends. */
export function domPattern(pattern: string): string {
  let start = 0;
  let end = pattern.length;
  while (start < end && DELIMITERS.has(pattern[start]!)) start++;
  while (end > start && DELIMITERS.has(pattern[end - 1]!)) end--;
  return pattern.slice(start, end).toLowerCase();
}

/** Whether `value` contains `pattern` (already passed through domPattern) as delimited words. */
export function matchesDom(value: string, pattern: string): boolean {
  if (pattern === "") return false;
  const haystack = value.toLowerCase();
  for (let at = haystack.indexOf(pattern); at >= 0; at = haystack.indexOf(pattern, at + 1)) {
    const startsWord = at === 0 || DELIMITERS.has(haystack[at - 1]!);
    const end = at + pattern.length;
    const endsWord = end === haystack.length || DELIMITERS.has(haystack[end]!);
    if (startsWord && endsWord) return true;
  }
  return false;
}
