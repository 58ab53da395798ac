#!/usr/bin/env node
import './sourcemap-register.cjs';import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 298:
/***/ ((module) => {

// A simple implementation of make-array
function makeArray (subject) {
  return Array.isArray(subject)
    ? subject
    : [subject]
}

const UNDEFINED = undefined
const EMPTY = ''
const SPACE = ' '
const ESCAPE = '\\'

// The characters that carry a meaning of their own inside a regular
//   expression, so a literal one has to be escaped before it is emitted.
const REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/
const BOM = '\uFEFF'
// A run of two or more asterisks is a globstar (#175)
const REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/
const REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/
const REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/
const REGEX_SPLITALL_CRLF = /\r?\n/g

// Invalid:
// - /foo,
// - ./foo,
// - ../foo,
// - .
// - ..
// Valid:
// - .foo
const DOUBLE_SLASH = '//'
const SLASH_CODE = 47
const DOT_CODE = 46


const SLASH = '/'

// Do not use ternary expression here, since "istanbul ignore next" is buggy
let TMP_KEY_IGNORE = 'node-ignore'
/* istanbul ignore else */
if (typeof Symbol !== 'undefined') {
  TMP_KEY_IGNORE = Symbol.for('node-ignore')
}
const KEY_IGNORE = TMP_KEY_IGNORE

const define = (object, key, value) => {
  Object.defineProperty(object, key, {value})
  return value
}

const RETURN_FALSE = () => false

// > The range notation, e.g. [a-zA-Z],
// > can be used to match one of the characters in a range.
//
// gitignore(5) defers to fnmatch(3) for this, and git implements it in
//   `wildmatch.c`.  A bracket expression has a sub-grammar of its own, which
//   is neither the surrounding pattern grammar nor the JavaScript one:
//
//   - a `]` right after `[` or `[!` is a literal member, not the terminator
//   - `[:alpha:]` names one of twelve POSIX classes
//   - `\` escapes the next member, `]` included
//   - `*`, `?` and `.` are plain literal members
//   - an unterminated expression makes the whole pattern match nothing
//
// which means the expression can not be located -- let alone translated -- by
//   a regular expression.  It is scanned out of the pattern before the
//   replacers below run, and put back once they are done, so that neither the
//   metacharacter escaper nor the `?` / `*` replacers ever see its body.

// git classifies with its own ASCII-only ctype macros (`wildmatch.c`), never
//   with the C library ones, so these must not be mapped onto `\d` / `\w` /
//   `\s`, which are wider.  `/` is left out of every expansion, because a
//   bracket expression never matches a path separator.
const POSIX_CLASSES = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-.0-~',
  lower: 'a-z',
  print: ' -.0-~',
  punct: '!-.:-@\\[-`{-~',
  // git's `sane-ctype.h` classifies \v and \f as control, not space,
  //   unlike C's `isspace`
  space: ' \\t\\n\\r',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f'
}

const CLASS_MEMBERS_TO_ESCAPE = '\\]^-['

const escapeMember = char => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0
  ? char
  : ESCAPE + char

// > if (matched == negated || ((flags & WM_PATHNAME) && text_ch == '/'))
// >   return WM_ABORT_TO_STARSTAR;                     (git, `wildmatch.c`)
// A bracket expression never matches a path separator, whatever its members
//   say, so a negated class gets `/` as one more excluded character, while a
//   plain one -- where a literal member or a range could still let `/` in --
//   is guarded with a lookahead, `/` being impossible to subtract from a
//   JavaScript character class.
const NON_SLASH = '(?!\\/)'

const classSource = (negated, body) => {
  if (negated) {
    return `[^\\/${body}]`
  }

  const source = `[${body}]`

  return new RegExp(source).test('/')
    ? NON_SLASH + source
    : source
}

// Scan the bracket expression that starts at `pattern[start] === '['`,
//   mirroring the member loop of git's `wildmatch.c`.
// @returns {{end: number, source: string} | null} `null` if the expression is
//   never terminated, which makes the whole pattern match nothing.
const scanBracket = (pattern, start) => {
  const {length} = pattern
  let index = start + 1
  let negated = EMPTY

  const lead = pattern[index]
  if (lead === '!' || lead === '^') {
    negated = '^'
    index ++
  }

  let body = EMPTY

  // The member a `-` could start a range from, or EMPTY when the previous
  //   member can not open one (start of the body, or a range / POSIX class
  //   that has just closed)
  let prev = EMPTY

  // git scans the members with a do-while, so the first one is consumed
  //   unconditionally.  That is the whole reason a leading `]` is a member
  //   and not the terminator.
  for (;;) {
    const char = pattern[index]

    if (char === UNDEFINED) {
      return null
    }

    if (char === ESCAPE) {
      // A pattern can not end on a lone backslash -- `createRule` has
      //   already thrown it away -- so there is a character to read.
      const escaped = pattern[++ index]
      body += escapeMember(escaped)
      prev = escaped
    } else if (
      char === '-'
      && prev
      && index + 1 < length
      && pattern[index + 1] !== ']'
    ) {
      index ++
      let to = pattern[index]
      if (to === ESCAPE) {
        to = pattern[index += 1]
      }
      // An out-of-order range matches nothing in git but is a syntax error in
      //   JavaScript, so it is dropped.  Its lower bound stays: git tests it
      //   as a plain member before it ever looks at the `-`, so `[c-a]` does
      //   match `c`.
      if (prev <= to) {
        body += `-${escapeMember(to)}`
      }
      prev = EMPTY
    } else if (char === '[' && pattern[index + 1] === ':') {
      const nameStart = index + 2
      let end = nameStart
      while (end < length && pattern[end] !== ']') {
        end ++
      }

      if (end === length) {
        return null
      }

      if (end > nameStart && pattern[end - 1] === ':') {
        const name = pattern.slice(nameStart, end - 1)

        // An unknown class name makes the whole pattern match nothing
        if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
          return null
        }

        body += POSIX_CLASSES[name]
        prev = EMPTY
        index = end
      } else {
        // No `:]` to close it, so the `[` is a plain member and scanning
        //   resumes right after it.
        body += escapeMember('[')
        prev = '['
        index = nameStart - 2
      }
    } else {
      body += escapeMember(char)
      prev = char
    }

    index ++

    if (pattern[index] === ']') {
      return {
        end: index,
        source: classSource(negated, body)
      }
    }
  }
}

// An empty JavaScript class can never match, which is how a pattern that git
//   gives up on (`WM_ABORT_ALL`) is expressed here.
const NEVER_MATCH = '[]'

// A NUL can appear in neither a `.gitignore` line nor a path, which makes it
//   the one safe placeholder character.  A literal one in the pattern is
//   held aside all the same, so a collision is impossible by construction.
const PLACEHOLDER = '\u0000'
const REGEX_RESTORE_PLACEHOLDER = new RegExp(
  `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'
)

// The one wildcard the chain does not expand for itself is a trailing `*`. How
//   it expands depends on the mode (`regex` vs `checkRegex`), so `_make` is
//   left to do it, and until then the pending wildcard travels as this marker.
//   That is what keeps it apart from a user-escaped literal `\*`: the unescape
//   steps collapse the escaped one to the exact `\*` a wildcard would leave
//   behind, so by the time `_make` runs the two are otherwise the same string
//   and a literal star gets wrongly rewritten into a wildcard. The marker is a
//   private-use character, and `extractBrackets` keeps one that came out of the
//   pattern apart from it, so the only marker `_make` ever turns back into a
//   real wildcard is the one this chain put there itself.
const TRAILING_WILDCARD = '\uE000'

// A trailing "/**" is deferred the same way, because `checkRegex` has to tell
//   it apart from a trailing "/*" (see `checkSourceOf`). For `.ignores()` it
//   still never matches the folder itself (#21).
const TRAILING_DOUBLESTAR = '\uE001'

// The three characters above mean something to the chain that builds the
//   source rather than to the path, so one that came out of the pattern is
//   held aside like a bracket expression instead of going straight out. Being
//   held is what makes it safe: the restore runs after the step that anchors
//   the source, so the character comes back in the middle of the source and
//   not at its end, which is the one place `_make` and `checkSourceOf` look
//   for a marker. Without it a pattern's own character lands where a pending
//   marker sits, and `_make` turns it into a real trailing wildcard.
//
// It is held as a one-member class rather than bare, in both of the branches
//   a reserved character can reach, so that the property can be
//   read off this function alone -- a reserved character never goes out on
//   its own -- rather than depending on where in the chain the restore
//   happens to run. In the expression built here `[x]` matches exactly what
//   `x` matches, none of the three being special to a regular expression or
//   inside a class, so no test can tell the two apart: the class is insurance,
//   and the paragraph above is the reason it is not needed.
const isReserved = char =>
  char === PLACEHOLDER
  || char === TRAILING_WILDCARD
  || char === TRAILING_DOUBLESTAR

// Replace every bracket expression with a placeholder the replacers below
//   leave alone, and translate it separately.
const extractBrackets = pattern => {
  const sources = []
  const hold = source =>
    `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`

  const {length} = pattern
  let out = EMPTY
  let index = 0

  while (index < length) {
    const char = pattern[index]

    if (char === ESCAPE) {
      // > Put a backslash ("\") in front of ... a character to make it literal.
      //                                            (gitignore(5) -> fnmatch(3))
      // A backslash quotes the next character, whatever it is, so `\d` is a
      //   literal `d`, not the regex digit class, and `\?` is a literal `?`,
      //   not a wildcard. Held aside as its literal here, the escape never
      //   reaches the replacers below, which would otherwise let `\d`, `\b`,
      //   `\1`, `\/` keep their regular-expression meaning, and would turn a
      //   `\?` into `[^\/]`.
      //
      // Three escapes are still left for the chain: `\*` (a literal star,
      //   told apart from a wildcard by `TRAILING_WILDCARD` and the wildcard
      //   replacers), `\[` (a literal bracket, the one `[` the bracket
      //   replacer still expects), and `\ ` (a quoted space, which one pass
      //   below rewrites in bulk -- holding each one aside instead costs more
      //   on a pattern built out of them).
      //
      // A quoted backslash is not among them. The chain doubles every
      //   backslash, then takes the doubling back out again, and a quoted one
      //   standing next to a character the chain also escapes left the two
      //   counts sharing a run, so one of the escapes was lost. Held here as
      //   the literal it means, it never joins that run.
      const escaped = pattern[index + 1]

      if (escaped === SLASH && index + 2 === length) {
        // Git removes a final directory slash before matching. An escape
        //   without a character after that removal makes the pattern invalid.
        out += hold(NEVER_MATCH)
      } else if (
        escaped === '*'
        || escaped === '['
        || escaped === SPACE
      ) {
        out += pattern.slice(index, index + 2)
      } else {
        out += hold(
          REGEX_LITERAL_SPECIAL.test(escaped)
            ? ESCAPE + escaped
            : isReserved(escaped)
              ? `[${escaped}]`
              : escaped
        )
      }

      index += 2
    } else if (isReserved(char)) {
      out += hold(`[${char}]`)
      index ++
    } else if (char === '[') {
      const scanned = scanBracket(pattern, index)

      if (scanned === null) {
        // git gives up on the whole pattern (`WM_ABORT_ALL`), so whatever
        //   follows can not make it match either.
        out += hold(NEVER_MATCH)
        index = length
      } else {
        out += hold(scanned.source)
        index = scanned.end + 1
      }
    } else {
      out += char
      index ++
    }
  }

  return {
    source: out,
    sources
  }
}

// A step of the chain below is normally a `[matcher, replacer]` pair handed
//   to `String.replace`. `DIRECT` marks the ones that are plain string work
//   instead, and take `(source, pattern)`.
//
// Anchoring the two ends is exactly that -- a test of one character and a
//   concatenation -- and putting it through the regular expression engine
//   cost a third of this chain for nothing: 167ns where 10ns does the same
//   job. The two are still steps in the same list, in the same places,
//   because their position in the order is part of what they mean.
const DIRECT = null

// A separator at the beginning or in the middle of a pattern, as opposed to
//   one at the very end.
const REGEX_INNER_SLASH = /\/(?!$)/
const WILDCARD = '[^\\/]*'

// > If the pattern ends with a slash,
// > it is removed for the purpose of the following description,
// > but it would only find a match with a directory.
// > In other words, foo/ will match a directory foo and paths underneath it,
// > but will not match a regular file or a symbolic link foo
// >  (this is consistent with the way how pathspec works in general in Git).
// '`foo/`' will not match regular file '`foo`' or symbolic link '`foo`'
// -> ignore-rules will not deal with it, because it costs extra `fs.stat` call
//      you could use option `mark: true` with `glob`

// '`foo/`' should not continue with the '`..`'
// The chain that turns one gitignore pattern into a regular expression
//   source, in order. A step is either
//
//   [matcher, replacer]            handed to `String.replace`
//   [matcher, replacer, required]  the same, but skipped outright unless
//                                    `required` appears in the string, which
//                                    the matcher cannot match without
//   [DIRECT, transform]            plain string work, taking (source, pattern)
//
// The `required` character is only ever a shortcut: finding it does not mean
//   the matcher will match, and not finding it means it cannot. It is there
//   because scanning for one character costs a fraction of running a matcher
//   that then finds nothing -- for the wildcard step, whose `[^\\]+`
//   backtracks its way through the whole string before giving up, 11ns
//   against 400ns.
const REPLACERS = [

  // Replace (\ ) with ' '
  // Only a space: an escaped tab or other whitespace is already a literal by
  //   the time it reaches here, and a bare tab must be left as one, not turned
  //   into a space.
  // (\ ) -> ' '
  // (\\ ) -> '\\ '
  // (\\\ ) -> '\\ '
  [
    // A run of backslashes is taken whole, from its first one, so no match
    //   ever starts again inside it -- `(\\+?) ` did, which made a long run
    //   quadratic.
    /(\\+)( ?)/g,
    (_, run, space) => space
      ? run.slice(0, run.length - run.length % 2) + SPACE
      : run,
    ESCAPE + SPACE
  ],

  // git's wildmatch() reads a run of two or more asterisks as one globstar
  //   whenever the run fills a path segment: it starts the pattern or follows
  //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
  //   already `**`; a longer one is folded into `**` here, so the steps
  //   below only ever have to know `**`.
  // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
  // git also takes a run beside a literal prefix (`a***/b`) or beside an
  //   escaped slash (`***\/b`) as a globstar, and this does not; the README
  //   lists both, under "A run of asterisks".
  [
    /(^|\/)\*{3,}(?=\/|$)/g,
    (_, start) => `${start}**`,
    '*'
  ],

  // Escape metacharacters
  // which is written down by users but means special for regular expressions.

  // > There are 12 characters with special meanings:
  // > - the backslash \,
  // > - the caret ^,
  // > - the dollar sign $,
  // > - the period or dot .,
  // > - the vertical bar or pipe symbol |,
  // > - the question mark ?,
  // > - the asterisk or star *,
  // > - the plus sign +,
  // > - the opening parenthesis (,
  // > - the closing parenthesis ),
  // > - and the opening square bracket [,
  // > - the opening curly brace {,
  // > These special characters are often called "metacharacters".
  [
    /[\\$.|*+(){^]/g,
    match => `\\${match}`
  ],

  [
    // > a question mark (?) matches a single character
    /(?!\\)\?/g,
    () => '[^/]',
    '?'
  ],

  // leading slash
  [

    // > A leading slash matches the beginning of the pathname.
    // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
    // A leading slash matches the beginning of the pathname
    /^\//,
    () => '^',
    SLASH
  ],

  // replace special metacharacter slash after the leading slash
  [
    /\//g,
    () => '\\/',
    SLASH
  ],

  [
    // > A leading "**" followed by a slash means match in all directories.
    // > For example, "**/foo" matches file or directory "foo" anywhere,
    // > the same as pattern "foo".
    // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
    // >   under directory "foo".
    // Notice that the '*'s have been replaced as '\\*'
    /^\^*(?:\\\*\\\*\\\/)+/,

    // '**/foo' <-> 'foo'
    () => '(?:^|\\/)',
    '*'
  ],

  // starting
  [
    // there will be no leading '/'
    //   (which has been replaced by section "leading slash")
    // If starts with '**', adding a '^' to the regular expression also works
    DIRECT,
    (source, pattern) => {
      // Nothing to anchor to, or already anchored (`^` or `(?:^|\/)`)
      if (!source || source[0] === '^' || source[0] === '(') {
        return source
      }

      // If has a slash `/` at the beginning or middle
      const anchor = !REGEX_INNER_SLASH.test(pattern)
        // > Prior to 2.22.1
        // > If the pattern does not contain a slash /,
        // >   Git treats it as a shell glob pattern
        // Actually, if there is only a trailing slash,
        //   git also treats it as a shell glob pattern

        // After 2.22.1 (compatible but clearer)
        // > If there is a separator at the beginning or middle (or both)
        // > of the pattern, then the pattern is relative to the directory
        // > level of the particular .gitignore file itself.
        // > Otherwise the pattern may also match at any level below
        // > the .gitignore level.
        ? '(?:^|\\/)'

        // > Otherwise, Git treats the pattern as a shell glob suitable for
        // >   consumption by fnmatch(3)
        : '^'

      return anchor + source
    }
  ],

  // two globstars
  [
    // Use lookahead assertions so that we could match more than one `'/**'`
    /\\\/\\\*\\\*(?=\\\/|$)/g,

    // Zero, one or several directories
    // should not use '*', or it will be replaced by the next replacer

    // Check if it is not the last `'/**'`
    (_, index, str) => index + 6 < str.length

      // case: /**/ at the end of the pattern, i.e. a trailing `'/**/'`
      // > A trailing `"/**/"` (a trailing `"/**"` restricted to directories)
      // >   matches everything inside, but it should not match the current
      // >   folder itself, so it requires at least one directory segment.
      // 'a/**/' matches 'a/b/', 'a/x/y/' but not 'a/'
      ? str.slice(index + 6) === '\\/'
        ? '(?:\\/[^\\/]+)+'

        // case: /**/
        // > A slash followed by two consecutive asterisks then a slash matches
        // >   zero or more directories.
        // > For example, "a/**/b" matches "a/b", "a/x/b", "a/x/y/b" and so on.
        // '/**/'
        : '(?:\\/[^\\/]+)*'

      // case: /**
      // > A trailing `"/**"` matches everything inside.

      // #21: everything inside but it should not include the current folder,
      //   resolved by `_make`
      : `\\/${TRAILING_DOUBLESTAR}`,
    '*'
  ],

  // normal intermediate wildcards
  [
    // Never replace escaped '*'
    // ignore rule '\*' will match the path '*'

    // 'abc.*/' -> go
    // 'abc.*'  -> skip this rule,
    //    coz trailing single wildcard will be handed by [trailing wildcard]
    /(^|[^\\])(?:\\\*)+(?!$)/g,

    // '*.js' matches '.js'
    // '*.js' doesn't match 'abc'
    // 1. An asterisk "*" matches anything except a slash.
    // 2. Other consecutive asterisks are considered regular asterisks
    //    and collapse into one non-slash wildcard run.
    (_, p1) => p1 + WILDCARD,
    '*'
  ],

  // trailing wildcard, held apart from a literal star
  [
    // The step above leaves a trailing `*` alone, so a single `\*` is all that
    //   can be left at the end here, and what stands in front of it says which
    //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
    //   nothing before it; a literal arrives as the user's own escape, which
    //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
    //   There is no third case: every backslash still reaching the chain is
    //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
    //   own character, so a longer run can never form. This runs while the
    //   two are still distinct, before the unescape steps below collapse the
    //   literal onto the very `\*` a wildcard leaves behind.
    /(^|[^\\])((?:\\\\)*)\\\*$/,

    (match, p1, p2) =>
      p2 === EMPTY
        // A real wildcard: carry it to `_make` as the marker, so the unescape
        //   steps and the trailing-wildcard rewrite can never mistake it for a
        //   literal `\*` (nor the reverse).
        ? p1 + TRAILING_WILDCARD
        // A literal star: leave it exactly as it stands for the unescape steps.
        : match,
    '*'
  ],

  [
    // unescape, revert step 3 except for back slash
    // For example, if a user escape a '\\*',
    // after step 3, the result will be '\\\\\\*'
    /\\\\\\(?=[$.|*+(){^])/g,
    () => ESCAPE,
    ESCAPE + ESCAPE
  ],

  [
    // '\\\\' -> '\\'
    /\\\\/g,
    () => ESCAPE,
    ESCAPE + ESCAPE
  ],

  [
    // Every real bracket expression -- POSIX classes included -- has already
    //   been held aside by `extractBrackets`, so the only `[` left in the
    //   pattern is an escaped, literal one.

    // A backslash could only stand at the end of the range if it quoted the
    //   `]`, and `\]` is held aside long before this.
    /\\\[([^\]/]*?)($|\])/g,

    // '\\[bar]' -> '\\\\[bar]'
    (match, range, close) => `\\[${range}${close}`,
    '['
  ],

  // ending
  [
    // 'js' will not match 'js.'
    // 'ab' will not match 'abc'
    DIRECT,

    // WTF!
    // https://git-scm.com/docs/gitignore
    // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
    // which re-fixes #24, #38

    // > If there is a separator at the end of the pattern then the pattern
    // > will only match directories, otherwise the pattern can match both
    // > files and directories.

    // 'js*' will not match 'a.js'
    // 'js/' will not match 'a.js'
    // 'js' will match 'a.js' and 'a.js/'
    source => {
      const last = source[source.length - 1]

      // The pattern is empty, or ends in a pending marker `_make` owns --
      //   the trailing wildcard, or a trailing "/**". A trailing `*` that is
      //   not the marker is a literal star, which anchors like any other
      //   final character.
      if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
        return source
      }

      return last === SLASH
        // foo/ will not match 'foo'
        ? `${source}$`
        // foo matches 'foo' and 'foo/'
        : `${source}(?=$|\\/$)`
    }
  ]
]

const REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/
const MODE_IGNORE = 'regex'
const MODE_CHECK_IGNORE = 'checkRegex'
const UNDERSCORE = '_'

const replaceTrailingWildcard = (_, p1) => {
  const prefix = p1
    // '\^':
    // '/*' does not match EMPTY
    // '/*' does not match everything

    // '\\\/':
    // 'abc/*' does not match 'abc/'
    ? `${p1}[^/]+`

    // 'a*' matches 'a'
    // 'a*' matches 'aa'
    : '[^/]*'

  return `${prefix}(?=$|\\/$)`
}

const REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/

// 'abc/**' matches everything under 'abc', but not 'abc/' itself (#21):
//   requiring one arbitrary character (line terminators included, #176)
//   after 'abc/' is necessary and sufficient for `.test(path)`.
const replaceTrailingDoublestar = () => '[\\s\\S]'

// The fixed piece between the wildcard at `at` and the next wildcard of the
//   run: the tokens that separate them, joined as they appear in the source.
//   A run never holds two wildcards in a row, so there is always at least one
//   token.
const separatorAfter = (run, at) => {
  let separator = EMPTY

  for (let index = at + 1; index < run.length && !run[index].wildcard; index ++) {
    separator += run[index].single
  }

  return separator
}

// Where a run of non-slash wildcards is split by fixed pieces --
//   `[^/]*ab[^/]*cd...` -- the engine has many equivalent ways to lay the
//   input across the wildcards, and on input that does not match it works
//   through all of them, so the time grows with the number of wildcards
//   rather than the length of the path. Every wildcard but the last in such a
//   run can be pinned to stop where the piece after it begins, which leaves
//   one way to lay out the input and no rewinding, without changing which
//   paths match: the fixed pieces still bound the count, and the last
//   wildcard still absorbs the rest.
//
// A wildcard is pinned to the whole piece, never to the piece's first
//   character. The pin leaves no way back, so a wildcard that stopped at that
//   first character would hand over wherever the character happens to turn
//   up, including the places the rest of the piece cannot follow -- which is
//   how `f*o/*/*` came to miss `foo/b/c`, the first `o` of `foo` not being
//   the one the `o/` after it needs. Every token of a piece matches exactly
//   one character, so the first place the whole piece fits is the leftmost
//   place it can sit, and whatever is left over goes to the wildcards that
//   follow.
//
// The source is read one token at a time -- a wildcard, a single-character
//   piece (a literal, an escape, a class), or a parenthesised group or anchor
//   that ends the run -- so only a genuine wildcard is touched.
const pinWildcards = source => {
  if (source.indexOf(WILDCARD) < 0) {
    return source
  }

  const tokens = []
  const {length} = source
  let index = 0

  while (index < length) {
    const char = source[index]

    if (source.startsWith(WILDCARD, index)) {
      tokens.push({wildcard: true})
      index += WILDCARD.length
    } else if (char === '[') {
      let end = index + 1

      if (source[end] === '^') {
        end ++
      }

      if (source[end] === ']') {
        end ++
      }

      while (end < length && source[end] !== ']') {
        end += source[end] === ESCAPE
          ? 2
          : 1
      }

      end ++
      tokens.push({single: source.slice(index, end)})
      index = end
    } else if (char === ESCAPE) {
      tokens.push({single: source.slice(index, index + 2)})
      index += 2
    } else if (char === '(') {
      let depth = 0
      let end = index

      do {
        if (source[end] === ESCAPE) {
          end ++
        } else if (source[end] === '(') {
          depth ++
        } else if (source[end] === ')') {
          depth --
        }

        end ++
      } while (end < length && depth > 0)

      if ('*+?'.indexOf(source[end]) >= 0) {
        end ++
      }

      tokens.push({boundary: source.slice(index, end)})
      index = end
    } else if (char === '^' || char === '$') {
      tokens.push({boundary: char})
      index ++
    } else {
      tokens.push({single: char})
      index ++
    }
  }

  let out = EMPTY
  let run = []

  const flush = () => {
    let lastWildcard

    run.forEach((token, at) => {
      if (token.wildcard) {
        lastWildcard = at
      }
    })

    run.forEach((token, at) => {
      if (!token.wildcard) {
        out += token.single
        return
      }

      // Every wildcard but the last is pinned to the whole piece that
      //   follows it, for the reason set out above this function. The last
      //   one stays as it is and takes up the rest.
      out += at === lastWildcard
        ? WILDCARD
        : `(?:(?!${separatorAfter(run, at)})[^\\/])*`
    })

    run = []
  }

  tokens.forEach(token => {
    if (token.boundary === undefined) {
      run.push(token)
      return
    }

    flush()
    out += token.boundary
  })

  flush()

  return out
}

// @param {pattern}
const makeRegexPrefix = pattern => {
  // `/**` matches every path, as `**` does. The translation below only finds
  //   a globstar beside a slash it keeps, and the leading one is turned into
  //   an anchor, so `/**` would come out as `/*` and match one level only.
  //   Here rather than in `createRule`, so that `checkSourceOf`, which
  //   compiles `/**/` again without its trailing slash, gets it too.
  if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
    pattern = '**'
  }

  const {source, sources} = extractBrackets(pattern)

  const replaced = REPLACERS.reduce(
    // A pass whose matcher finds nothing hands back the very string it was
    //   given, so asking first costs a search and saves a rewrite. Ten of the
    //   fifteen passes never fire for a typical .gitignore line, and between
    //   them they were 45% of this chain.
    (prev, [matcher, replacer, required]) => {
      if (matcher === DIRECT) {
        return replacer(prev, pattern)
      }

      if (required !== UNDEFINED && prev.indexOf(required) < 0) {
        return prev
      }

      // A pass whose matcher finds nothing hands back the very string it was
      //   given, so asking first costs a search and saves a rewrite.
      return matcher.test(prev)
        ? prev.replace(matcher, replacer.bind(pattern))
        : prev
    },
    source
  )

  // Most patterns hold no bracket expression at all, and then there is
  //   nothing to put back.
  return sources.length
    ? replaced.replace(
      REGEX_RESTORE_PLACEHOLDER,
      (match, index) => sources[index]
    )
    : replaced
}

// `checkRegex` tests a path with a trailing slash, 'abc/', the way
//   `git check-ignore` matches that literal string once the directory itself
//   is known not to be excluded (see `checkIgnore`): a trailing '/' of the
//   pattern is dropped, a basename pattern sees an empty basename, and only a
//   pattern whose last segment is a pending wildcard can match what is left
//   after the final slash -- 'abc/*' and 'abc/**' match 'abc/', and 'abc/**'
//   also matches 'abc/d/' (#77, #169).
const checkSourceOf = (body, prefix) => {
  if (body[body.length - 1] === SLASH) {
    prefix = makeRegexPrefix(body.slice(0, - 1))
  }

  const head = prefix.slice(0, - 1)
  const last = prefix[prefix.length - 1]

  return last === TRAILING_WILDCARD
    ? `${head}$`
    : last === TRAILING_DOUBLESTAR
      ? head
      : NEVER_MATCH
}

// A trailing slash does not stop a pattern being basename-only: it restricts
//   the match to a directory, it does not let the pattern reach across one.
//   Everything else a pattern can hold -- a wildcard, a character class, an
//   escape -- stays inside a single path segment too, so a pattern with no
//   separator in it can only ever describe the last one.
const matchesBasename = body => {
  const index = body.indexOf(SLASH)

  return index < 0 || index === body.length - 1
}

// The last segment of a path, keeping a trailing slash, because a pattern that
//   ends in one matches only a directory.
// 'a/b/c.js' -> 'c.js';  'a/b/' -> 'b/';  'c.js' -> 'c.js' (no copy made)
const basenameOf = path => {
  const end = path.length - 1

  const index = path.lastIndexOf(
    SLASH,
    path[end] === SLASH
      ? end - 1
      : end
  )

  return index < 0
    ? path
    : path.slice(index + 1)
}

// The parent directory of a path, with its trailing separator, or EMPTY when
//   the path has none.
// 'a/b/c' -> 'a/b/';  'a/b/' -> 'a/';  'a' -> EMPTY;  'a/' -> EMPTY
//
// A path holding an empty segment has to be taken apart, because its
//   ancestors are not prefixes of it: the parent of 'a//b' is 'a/', not
//   'a//', and the parent of '/a/' is nothing at all. Both shapes reach here
//   -- 'a//b' is accepted outright, and `checkIgnore` does not put the path
//   it is given through the relative-path check.
//
// Every other path is a prefix of itself, and cutting one costs a fraction of
//   splitting it into an array and joining that back at every level: 73ns
//   against 207ns.
const parentOf = path => {
  if (
    path.charCodeAt(0) === SLASH_CODE
    || path.indexOf(DOUBLE_SLASH) >= 0
  ) {
    const slices = path.split(SLASH).filter(Boolean)

    slices.pop()

    return slices.length
      ? slices.join(SLASH) + SLASH
      : EMPTY
  }

  const end = path.length - 1

  // Look back from before a trailing separator, since that one belongs to the
  //   path itself.
  //
  // A negative place to start would be a trap here: `lastIndexOf` clamps one
  //   to 0 and searches there rather than reporting no match, so '/' would
  //   come back as its own parent and the walk would never end. It cannot
  //   happen -- that is the only path short enough to produce one, and the
  //   test above has already sent it the other way.
  const cut = path.lastIndexOf(
    SLASH,
    path.charCodeAt(end) === SLASH_CODE
      ? end - 1
      : end
  )

  return cut < 0
    ? EMPTY
    : path.slice(0, cut + 1)
}

const isString = subject => typeof subject === 'string'

// Blank lines, comments and trailing lone backslashes are told by
//   `createRule`, once the pattern is normalized.
const checkPattern = pattern => pattern
  && isString(pattern)

// Git drops one CR before each LF, and one at the end of a final line that
//   has no LF after it.
const splitPattern = pattern => (
  pattern[pattern.length - 1] === '\r'
    ? pattern.slice(0, - 1)
    : pattern
)
.split(REGEX_SPLITALL_CRLF)
.filter(Boolean)

class IgnoreRule {
  constructor (
    pattern,
    mark,
    body,
    ignoreCase,
    negative,
    prefix
  ) {
    this.pattern = pattern
    this.mark = mark
    this.negative = negative

    define(this, 'body', body)
    define(this, 'ignoreCase', ignoreCase)
    define(this, 'regexPrefix', prefix)
  }

  // Worked out on first use and kept behind an own property, the way `regex`
  //   caches itself in `_regex`. Deciding it in the constructor instead would
  //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
  //   every compile -- including the compiles of rules that are never matched
  //   against anything.
  get _basenameOnly () {
    return define(this, '_basenameOnly', matchesBasename(this.body))
  }

  get regex () {
    const key = UNDERSCORE + MODE_IGNORE

    if (this[key]) {
      return this[key]
    }

    return this._make(MODE_IGNORE, key)
  }

  get checkRegex () {
    const key = UNDERSCORE + MODE_CHECK_IGNORE

    if (this[key]) {
      return this[key]
    }

    return this._make(MODE_CHECK_IGNORE, key)
  }

  _make (mode, key) {
    const str = pinWildcards(
      mode === MODE_IGNORE
        ? this.regexPrefix
        .replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard)
        .replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar)
        : checkSourceOf(this.body, this.regexPrefix)
    )

    const regex = this.ignoreCase
      ? new RegExp(str, 'i')
      : new RegExp(str)

    return define(this, key, regex)
  }
}

const hasTrailingBackslash = str => {
  let count = 0

  while (str[str.length - count - 1] === ESCAPE) {
    count ++
  }

  return count % 2 === 1
}

// Read a line the way git does: when `stripLineEnd` is set (an unsplit array
//   or object pattern), drop any trailing blank lines along with the LF
//   before each and at most one CR at the end of the line; then trim trailing
//   spaces in the same backward pass. Git trims spaces only, and a space
//   escaped by an odd run of backslashes stays, unescaped, as the last one.
// Scanned from the end: a regular expression can only try each start in
//   turn, which is quadratic over a long run of spaces or backslashes.
// 'a  ' -> 'a';  'a\ ' -> 'a ';  'a\\ ' -> 'a\\';  'a\t' -> 'a\t'
// 'a\r\n' -> 'a';  'a\r\r' -> 'a\r';  'a\n\r' -> 'a'
const trimEnd = (body, stripLineEnd) => {
  let lineEnd = body.length
  let end

  for (;;) {
    if (stripLineEnd && body[lineEnd - 1] === '\r') {
      lineEnd --
    }

    end = lineEnd

    while (body[end - 1] === SPACE) {
      end --
    }

    if (!stripLineEnd || body[end - 1] !== '\n') {
      break
    }

    lineEnd = end - 1
  }

  if (end === lineEnd) {
    return body.slice(0, lineEnd)
  }

  let backslashes = 0

  while (body[end - backslashes - 1] === ESCAPE) {
    backslashes ++
  }

  return backslashes % 2
    ? body.slice(0, end - 1) + SPACE
    : body.slice(0, end)
}

const createRule = (
  pattern,
  mark,
  ignoreCase,
  stripLineEnd,
  stripBOM
) => {
  // Git drops a BOM before it reads the first line, so before anything else.
  let body = stripBOM && pattern[0] === BOM
    ? pattern.slice(1)
    : pattern

  // > A line starting with # serves as a comment.
  if (body[0] === '#') {
    return
  }

  let negative = false

  // > An optional prefix "!" which negates the pattern;
  if (body[0] === '!') {
    negative = true
    body = body.slice(1)
  }

  // Normalize the body before checking which slashes anchor the pattern.
  //   Otherwise `bar/ ` is mistaken for a pattern containing an inner slash.
  //   A line from `splitPattern` has already lost its line ending, so only a
  //   trailing space remains to trim there.
  const last = body[body.length - 1]

  if (
    last === SPACE
    || stripLineEnd && (last === '\r' || last === '\n')
  ) {
    body = trimEnd(body, stripLineEnd)
  }

  // > A blank line matches no files, so it can serve as a separator for
  // >   readability.
  // Nor does a lone "!", a pattern ending on an unpaired backslash, or
  //   anything else left empty here: an empty pattern would compile to a
  //   regex matching every path.
  if (!body || hasTrailingBackslash(body)) {
    return
  }

  body = body
  // > Put a backslash ("\") in front of the first "!" for patterns that
  // >   begin with a literal "!", for example, `"\!important!.txt"`.
  .replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, '!')
  // > Put a backslash ("\") in front of the first hash for patterns that
  // >   begin with a hash.
  .replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, '#')

  const regexPrefix = makeRegexPrefix(body)

  return new IgnoreRule(
    pattern,
    mark,
    body,
    ignoreCase,
    negative,
    regexPrefix
  )
}

class RuleManager {
  constructor (ignoreCase) {
    this._ignoreCase = ignoreCase
    this._rules = []

    // How many of the rules git would tag `EXC_FLAG_NODIR`.
    //
    // The scan uses it to decide, once for the whole set, whether handing
    //   those rules the basename is worth what it costs the others. The
    //   shortcut saves a full-path scan on every rule it applies to and costs
    //   a check on every rule it does not, so a set where almost nothing is
    //   basename-only comes out behind -- a 955 pattern set with 44 of them
    //   measured 19% slower with the shortcut always on.
    //
    // Deciding this by measurement rather than by meaning is safe: a
    //   basename-only pattern gives the very same answer against the whole
    //   path, it just takes longer to say so. The choice can only change how
    //   fast the scan runs, never what it returns.
    this._basenameCount = 0
  }

  _add (pattern, index) {
    // #32
    if (pattern && pattern[KEY_IGNORE]) {
      this._rules = this._rules.concat(pattern._rules._rules)
      this._basenameCount += pattern._rules._basenameCount
      this._added = true
      return
    }

    const isStr = isString(pattern)
    const raw = isStr
      ? pattern
      : pattern.pattern

    const rule = checkPattern(raw)
      && createRule(
        raw,
        isStr ? UNDEFINED : pattern.mark,
        this._ignoreCase,
        !this._split,
        this._stripBOM && !index
      )

    if (rule) {
      this._added = true
      this._rules.push(rule)

      // Deliberately not `rule._basenameOnly`: reading that would materialise
      //   the rule's own copy, and the whole point of leaving it lazy is that
      //   a rule which is compiled and never matched never pays for it.
      if (matchesBasename(rule.body)) {
        this._basenameCount ++
      }
    }
  }

  // @param {Array<string> | string | Ignore} pattern
  add (pattern) {
    this._added = false
    this._split = isString(pattern)
    this._stripBOM = !this._split || pattern[0] === BOM

    makeArray(
      this._split
        ? splitPattern(pattern)
        : pattern
    ).forEach(this._add, this)

    if (this._added) {
      this._literalRules = UNDEFINED
    }

    return this._added
  }

  // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
  //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
  //   are left out once, rather than tested or compiled for every path.
  testLiteral (path) {
    const rules = this._literalRules || (
      this._literalRules = this._rules.filter(
        ({body}) => body[body.length - (
          body[body.length - 1] === SLASH ? 2 : 1
        )] === '*'
      )
    )

    let ignored = false
    let unignored = false
    let matchedRule

    for (let index = rules.length - 1; index >= 0; index --) {
      const rule = rules[index]

      if (rule.checkRegex.test(path)) {
        ignored = !rule.negative
        unignored = rule.negative
        matchedRule = rule.negative
          ? UNDEFINED
          : rule
        break
      }
    }

    const ret = {
      ignored,
      unignored
    }

    if (matchedRule) {
      ret.rule = matchedRule
    }

    return ret
  }

  // Test one single path without recursively checking parent directories
  //
  // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`

  // @returns {TestResult}
  test (path, mode) {
    // Most of a .gitignore is patterns with no slash in them, and running
    //   those against the whole path makes the regular expression engine walk
    //   every directory name on the way to the only segment that could match.
    //   Handing them the basename instead is what git does, and it is where
    //   the time in a directory walk goes: the rule scan was two thirds of it.
    const rules = this._rules
    const {length} = rules

    const shortcut = this._basenameCount * 2 >= length

    const basename = shortcut
      ? basenameOf(path)
      : path

    // The last rule to match decides, as in git, and it is the rule
    //   `git check-ignore -v` reports, so the scan runs from the end and stops
    //   at the first match.
    // A plain loop rather than `forEach`, so that `path`, `basename` and
    //   `shortcut` are locals. As a callback they became closure variables,
    //   and reaching for one of those once per rule cost 10% of a scan over a
    //   large rule set -- more than the shortcut they were there to serve.
    for (let index = length - 1; index >= 0; index --) {
      const rule = rules[index]

      if (rule[mode].test(
        shortcut && rule._basenameOnly
          ? basename
          : path
      )) {
        const {negative} = rule

        const ret = {
          ignored: !negative,
          unignored: negative
        }

        if (!negative) {
          ret.rule = rule
        }

        return ret
      }
    }

    return {
      ignored: false,
      unignored: false
    }
  }
}

const throwError = (message, Ctor) => {
  throw new Ctor(message)
}

const checkPath = (path, originalPath, doThrow) => {
  if (!isString(path)) {
    return doThrow(
      `path must be a string, but got \`${originalPath}\``,
      TypeError
    )
  }

  // We don't know if we should ignore EMPTY, so throw
  if (!path) {
    return doThrow(`path must not be empty`, TypeError)
  }

  // Check if it is a relative path
  if (checkPath.isNotRelative(path)) {
    const r = '`path.relative()`d'
    return doThrow(
      `path should be a ${r} string, but got "${originalPath}"`,
      RangeError
    )
  }

  return true
}

// > pathname should be a `path.relative()`d one
//
// The same thing `REGEX_TEST_INVALID_PATH` says, spelled out: a path is not
//   relative if it begins with a separator, or with `./` or `../`, or is
//   nothing but `.` or `..`. Every match is decided by the first three
//   characters, and this runs on every path handed to the library -- where it
//   was 55% of a cached lookup, more than the cache lookup itself.
const isNotRelative = path => {
  const first = path.charCodeAt(0)

  if (first === SLASH_CODE) {
    return true
  }

  if (first !== DOT_CODE) {
    return false
  }

  // '.'
  if (path.length === 1) {
    return true
  }

  const second = path.charCodeAt(1)

  // './'
  if (second === SLASH_CODE) {
    return true
  }

  if (second !== DOT_CODE) {
    return false
  }

  // '..' or '../'
  return path.length === 2 || path.charCodeAt(2) === SLASH_CODE
}

checkPath.isNotRelative = isNotRelative

// On windows, the following function will be replaced
/* istanbul ignore next */
checkPath.convert = p => p


const convertPath = target =>
  isString(target) && checkPath.convert(target)


class Ignore {
  constructor ({
    ignorecase = true,
    ignoreCase = ignorecase,
    allowRelativePaths = false
  } = {}) {
    define(this, KEY_IGNORE, true)

    this._rules = new RuleManager(ignoreCase)
    this._strictPathCheck = !allowRelativePaths
    this._initCache()
  }

  _initCache () {
    // A cache for the result of `.ignores()`
    this._ignoreCache = Object.create(null)

    // A cache for the result of `.test()`
    this._testCache = Object.create(null)
  }

  add (pattern) {
    if (this._rules.add(pattern)) {
      // Some rules have just added to the ignore,
      //   making the behavior changed,
      //   so we need to re-initialize the result cache
      this._initCache()
    }

    return this
  }

  // legacy
  addPattern (pattern) {
    return this.add(pattern)
  }

  // @returns {TestResult}
  _test (originalPath, cache, path) {
    checkPath(
      path,
      originalPath,
      this._strictPathCheck
        ? throwError
        : RETURN_FALSE
    )

    return path
      ? this._t(path, cache)
      : {
        ignored: false,
        unignored: false
      }
  }

  checkIgnore (target) {
    // A Windows path is converted first, so that a directory given with a
    //   trailing separator, `\` or `/`, is told the same way
    const path = convertPath(target)

    // If the path does not end with a slash, `.ignores()` is much equivalent
    //   to `git check-ignore`
    if (!path || path.charCodeAt(path.length - 1) !== SLASH_CODE) {
      return this._test(target, this._testCache, path)
    }

    // Like `git check-ignore`: a directory excluded by itself or by an
    //   ancestor settles it, and only then is the literal 'abc/' matched
    //   against the rules (see `checkSourceOf`).
    const dir = this._t(path, this._testCache)

    if (dir.ignored) {
      return dir
    }

    const literal = this._rules.testLiteral(path)

    return literal.ignored || literal.unignored
      ? literal
      : dir
  }

  _t (
    // The path to be tested
    path,

    // The cache for the result of a certain checking
    cache
  ) {
    if (path in cache) {
      return cache[path]
    }

    const parentPath = parentOf(path)

    // If the path contains a parent directory, check the parent first
    const parent = parentPath
      ? this._t(parentPath, cache)
      : UNDEFINED

    return cache[path] = parent && parent.ignored
      // > It is not possible to re-include a file if a parent directory of
      // >   that file is excluded.
      ? parent
      : this._rules.test(path, MODE_IGNORE)
  }

  ignores (path) {
    return this._test(path, this._ignoreCache, convertPath(path)).ignored
  }

  createFilter () {
    return path => !this.ignores(path)
  }

  filter (paths) {
    return makeArray(paths).filter(this.createFilter())
  }

  // @returns {TestResult}
  test (path) {
    return this._test(path, this._testCache, convertPath(path))
  }
}

const factory = options => new Ignore(options)

const isPathValid = path =>
  checkPath(convertPath(path), path, RETURN_FALSE)

/* istanbul ignore next */
const setupWindows = () => {
  /* eslint no-control-regex: "off" */
  const makePosix = str => /^\\\\\?\\/.test(str)
  || /["<>|\u0000-\u001F]+/u.test(str)
    ? str
    : str.replace(/\\/g, '/')

  checkPath.convert = makePosix

  // 'C:\\foo'     <- 'C:\\foo' has been converted to 'C:/'
  // 'd:\\foo'
  const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i
  checkPath.isNotRelative = path =>
    REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path)
    || isNotRelative(path)
}


// Windows
// --------------------------------------------------------------
/* istanbul ignore next */
if (
  // Detect `process` so that it can run in browsers.
  typeof process !== 'undefined'
  && process.platform === 'win32'
) {
  setupWindows()
}

// COMMONJS_EXPORTS ////////////////////////////////////////////////////////////

module.exports = factory

// Although it is an anti-pattern,
//   it is still widely misused by a lot of libraries in github
// Ref: https://github.com/search?q=ignore.default%28%29&type=code
factory.default = factory

module.exports.isPathValid = isPathValid

// For testing purposes
define(module.exports, Symbol.for('setupWindows'), setupWindows)


/***/ }),

/***/ 4006:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const pico = __nccwpck_require__(8016);
const utils = __nccwpck_require__(4059);

function picomatch(glob, options, returnState = false) {
  // default to os.platform()
  if (options && (options.windows === null || options.windows === undefined)) {
    // don't mutate the original options object
    options = { ...options, windows: utils.isWindows() };
  }

  return pico(glob, options, returnState);
}

Object.assign(picomatch, pico);
module.exports = picomatch;


/***/ }),

/***/ 5595:
/***/ ((module) => {



const WIN_SLASH = '\\\\/';
const WIN_NO_SLASH = `[^${WIN_SLASH}]`;

const DEFAULT_MAX_EXTGLOB_RECURSION = 0;

/**
 * Posix glob regex
 */

const DOT_LITERAL = '\\.';
const PLUS_LITERAL = '\\+';
const QMARK_LITERAL = '\\?';
const SLASH_LITERAL = '\\/';
const ONE_CHAR = '(?=.)';
const QMARK = '[^/]';
const END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
const START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
const DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
const NO_DOT = `(?!${DOT_LITERAL})`;
const NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
const NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
const NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
const QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
const STAR = `${QMARK}*?`;
const SEP = '/';

const POSIX_CHARS = {
  DOT_LITERAL,
  PLUS_LITERAL,
  QMARK_LITERAL,
  SLASH_LITERAL,
  ONE_CHAR,
  QMARK,
  END_ANCHOR,
  DOTS_SLASH,
  NO_DOT,
  NO_DOTS,
  NO_DOT_SLASH,
  NO_DOTS_SLASH,
  QMARK_NO_DOT,
  STAR,
  START_ANCHOR,
  SEP
};

/**
 * Windows glob regex
 */

const WINDOWS_CHARS = {
  ...POSIX_CHARS,

  SLASH_LITERAL: `[${WIN_SLASH}]`,
  QMARK: WIN_NO_SLASH,
  STAR: `${WIN_NO_SLASH}*?`,
  DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
  NO_DOT: `(?!${DOT_LITERAL})`,
  NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
  NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
  START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
  END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
  SEP: '\\'
};

/**
 * POSIX Bracket Regex
 */

const POSIX_REGEX_SOURCE = {
  __proto__: null,
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '\\x21-\\x7E',
  lower: 'a-z',
  print: '\\x20-\\x7E ',
  punct: '\\-!"#$%&\'()\\*+,./:;<=>?@[\\]^_`{|}~',
  space: ' \\t\\r\\n\\v\\f',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: 'A-Fa-f0-9'
};

module.exports = {
  DEFAULT_MAX_EXTGLOB_RECURSION,
  MAX_LENGTH: 1024 * 64,
  POSIX_REGEX_SOURCE,

  // regular expressions
  REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
  REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
  REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
  REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
  REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
  REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,

  // Replace globs with equivalent patterns to reduce parsing time.
  REPLACEMENTS: {
    __proto__: null,
    '***': '*',
    '**/**': '**',
    '**/**/**': '**'
  },

  // Digits
  CHAR_0: 48, /* 0 */
  CHAR_9: 57, /* 9 */

  // Alphabet chars.
  CHAR_UPPERCASE_A: 65, /* A */
  CHAR_LOWERCASE_A: 97, /* a */
  CHAR_UPPERCASE_Z: 90, /* Z */
  CHAR_LOWERCASE_Z: 122, /* z */

  CHAR_LEFT_PARENTHESES: 40, /* ( */
  CHAR_RIGHT_PARENTHESES: 41, /* ) */

  CHAR_ASTERISK: 42, /* * */

  // Non-alphabetic chars.
  CHAR_AMPERSAND: 38, /* & */
  CHAR_AT: 64, /* @ */
  CHAR_BACKWARD_SLASH: 92, /* \ */
  CHAR_CARRIAGE_RETURN: 13, /* \r */
  CHAR_CIRCUMFLEX_ACCENT: 94, /* ^ */
  CHAR_COLON: 58, /* : */
  CHAR_COMMA: 44, /* , */
  CHAR_DOT: 46, /* . */
  CHAR_DOUBLE_QUOTE: 34, /* " */
  CHAR_EQUAL: 61, /* = */
  CHAR_EXCLAMATION_MARK: 33, /* ! */
  CHAR_FORM_FEED: 12, /* \f */
  CHAR_FORWARD_SLASH: 47, /* / */
  CHAR_GRAVE_ACCENT: 96, /* ` */
  CHAR_HASH: 35, /* # */
  CHAR_HYPHEN_MINUS: 45, /* - */
  CHAR_LEFT_ANGLE_BRACKET: 60, /* < */
  CHAR_LEFT_CURLY_BRACE: 123, /* { */
  CHAR_LEFT_SQUARE_BRACKET: 91, /* [ */
  CHAR_LINE_FEED: 10, /* \n */
  CHAR_NO_BREAK_SPACE: 160, /* \u00A0 */
  CHAR_PERCENT: 37, /* % */
  CHAR_PLUS: 43, /* + */
  CHAR_QUESTION_MARK: 63, /* ? */
  CHAR_RIGHT_ANGLE_BRACKET: 62, /* > */
  CHAR_RIGHT_CURLY_BRACE: 125, /* } */
  CHAR_RIGHT_SQUARE_BRACKET: 93, /* ] */
  CHAR_SEMICOLON: 59, /* ; */
  CHAR_SINGLE_QUOTE: 39, /* ' */
  CHAR_SPACE: 32, /*   */
  CHAR_TAB: 9, /* \t */
  CHAR_UNDERSCORE: 95, /* _ */
  CHAR_VERTICAL_LINE: 124, /* | */
  CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279, /* \uFEFF */

  /**
   * Create EXTGLOB_CHARS
   */

  extglobChars(chars) {
    return {
      '!': { type: 'negate', open: '(?:(?!(?:', close: `))${chars.STAR})` },
      '?': { type: 'qmark', open: '(?:', close: ')?' },
      '+': { type: 'plus', open: '(?:', close: ')+' },
      '*': { type: 'star', open: '(?:', close: ')*' },
      '@': { type: 'at', open: '(?:', close: ')' }
    };
  },

  /**
   * Create GLOB_CHARS
   */

  globChars(win32) {
    return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
  }
};


/***/ }),

/***/ 8265:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const constants = __nccwpck_require__(5595);
const utils = __nccwpck_require__(4059);

/**
 * Constants
 */

const {
  MAX_LENGTH,
  POSIX_REGEX_SOURCE,
  REGEX_NON_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_BACKREF,
  REPLACEMENTS
} = constants;

/**
 * Helpers
 */

const expandRange = (args, options) => {
  if (typeof options.expandRange === 'function') {
    return options.expandRange(...args, options);
  }

  args.sort();
  const value = `[${args.join('-')}]`;

  try {
    /* eslint-disable-next-line no-new */
    new RegExp(value);
  } catch (ex) {
    return args.map(v => utils.escapeRegex(v)).join('..');
  }

  return value;
};

/**
 * Create the message for a syntax error
 */

const syntaxError = (type, char) => {
  return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
};

const splitTopLevel = input => {
  const parts = [];
  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let value = '';
  let escaped = false;

  for (const ch of input) {
    if (escaped === true) {
      value += ch;
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      value += ch;
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      value += ch;
      continue;
    }

    if (quote === 0) {
      if (ch === '[') {
        bracket++;
      } else if (ch === ']' && bracket > 0) {
        bracket--;
      } else if (bracket === 0) {
        if (ch === '(') {
          paren++;
        } else if (ch === ')' && paren > 0) {
          paren--;
        } else if (ch === '|' && paren === 0) {
          parts.push(value);
          value = '';
          continue;
        }
      }
    }

    value += ch;
  }

  parts.push(value);
  return parts;
};

const isPlainBranch = branch => {
  let escaped = false;

  for (const ch of branch) {
    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (/[?*+@!()[\]{}]/.test(ch)) {
      return false;
    }
  }

  return true;
};

const normalizeSimpleBranch = branch => {
  let value = branch.trim();
  let changed = true;

  while (changed === true) {
    changed = false;

    if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
      value = value.slice(2, -1);
      changed = true;
    }
  }

  if (!isPlainBranch(value)) {
    return;
  }

  return value.replace(/\\(.)/g, '$1');
};

const hasRepeatedCharPrefixOverlap = branches => {
  const values = branches.map(normalizeSimpleBranch).filter(Boolean);

  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i];
      const b = values[j];
      const char = a[0];

      if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
        continue;
      }

      if (a === b || a.startsWith(b) || b.startsWith(a)) {
        return true;
      }
    }
  }

  return false;
};

const parseRepeatedExtglob = (pattern, requireEnd = true) => {
  if ((pattern[0] !== '+' && pattern[0] !== '*') || pattern[1] !== '(') {
    return;
  }

  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let escaped = false;

  for (let i = 1; i < pattern.length; i++) {
    const ch = pattern[i];

    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      continue;
    }

    if (quote === 1) {
      continue;
    }

    if (ch === '[') {
      bracket++;
      continue;
    }

    if (ch === ']' && bracket > 0) {
      bracket--;
      continue;
    }

    if (bracket > 0) {
      continue;
    }

    if (ch === '(') {
      paren++;
      continue;
    }

    if (ch === ')') {
      paren--;

      if (paren === 0) {
        if (requireEnd === true && i !== pattern.length - 1) {
          return;
        }

        return {
          type: pattern[0],
          body: pattern.slice(2, i),
          end: i
        };
      }
    }
  }
};

const buildCharClassStar = chars => {
  const source = chars.length === 1
    ? utils.escapeRegex(chars[0])
    : `[${chars.map(ch => utils.escapeRegex(ch)).join('')}]`;

  return `${source}*`;
};

const getStarExtglobSequenceChars = pattern => {
  let index = 0;
  const chars = [];

  while (index < pattern.length) {
    const match = parseRepeatedExtglob(pattern.slice(index), false);

    if (!match || match.type !== '*') {
      return;
    }

    const branches = splitTopLevel(match.body).map(branch => branch.trim());
    if (branches.length !== 1) {
      return;
    }

    const branch = normalizeSimpleBranch(branches[0]);
    if (!branch || branch.length !== 1) {
      return;
    }

    chars.push(branch);
    index += match.end + 1;
  }

  if (chars.length < 1) {
    return;
  }

  return chars;
};

const repeatedExtglobRecursion = pattern => {
  let depth = 0;
  let value = pattern.trim();
  let match = parseRepeatedExtglob(value);

  while (match) {
    depth++;
    value = match.body.trim();
    match = parseRepeatedExtglob(value);
  }

  return depth;
};

const analyzeRepeatedExtglob = (body, options) => {
  if (options.maxExtglobRecursion === false) {
    return { risky: false };
  }

  const max =
    typeof options.maxExtglobRecursion === 'number'
      ? options.maxExtglobRecursion
      : constants.DEFAULT_MAX_EXTGLOB_RECURSION;

  const branches = splitTopLevel(body).map(branch => branch.trim());

  if (branches.length > 1) {
    if (
      branches.some(branch => branch === '') ||
      branches.some(branch => /^[*?]+$/.test(branch)) ||
      hasRepeatedCharPrefixOverlap(branches)
    ) {
      return { risky: true };
    }
  }

  // A repeated extglob is "risky" (prone to catastrophic backtracking) when a
  // branch is itself a `*(...)` sequence, since that nests an unbounded quantifier
  // inside the outer `+(...)`/`*(...)`. When *every* branch reduces to single
  // characters we can emit one flat, ReDoS-safe character class that preserves the
  // meaning of ALL branches (e.g. `+(*(a)|*(b))` -> `[ab]*`), rather than dropping
  // every branch but the first.
  const safeChars = [];
  let sawStarSequence = false;
  let combinable = true;

  for (const branch of branches) {
    const chars = getStarExtglobSequenceChars(branch);
    if (chars) {
      sawStarSequence = true;
      safeChars.push(...chars);
      continue;
    }

    const literal = normalizeSimpleBranch(branch);
    if (literal && literal.length === 1) {
      safeChars.push(literal);
      continue;
    }

    combinable = false;

    if (repeatedExtglobRecursion(branch) > max) {
      return { risky: true };
    }
  }

  if (sawStarSequence) {
    return combinable
      ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) }
      : { risky: true };
  }

  return { risky: false };
};

/**
 * Parse the given input string.
 * @param {String} input
 * @param {Object} options
 * @return {Object}
 */

const parse = (input, options) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected a string');
  }

  input = REPLACEMENTS[input] || input;

  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;

  let len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  const bos = { type: 'bos', value: '', output: opts.prepend || '' };
  const tokens = [bos];

  const capture = opts.capture ? '' : '?:';

  // create constants based on platform, for windows or posix
  const PLATFORM_CHARS = constants.globChars(opts.windows);
  const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);

  const {
    DOT_LITERAL,
    PLUS_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOT_SLASH,
    NO_DOTS_SLASH,
    QMARK,
    QMARK_NO_DOT,
    STAR,
    START_ANCHOR
  } = PLATFORM_CHARS;

  const globstar = opts => {
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const nodot = opts.dot ? '' : NO_DOT;
  const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
  let star = opts.bash === true ? globstar(opts) : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  // minimatch options support
  if (typeof opts.noext === 'boolean') {
    opts.noextglob = opts.noext;
  }

  const state = {
    input,
    index: -1,
    start: 0,
    dot: opts.dot === true,
    consumed: '',
    output: '',
    prefix: '',
    backtrack: false,
    negated: false,
    brackets: 0,
    braces: 0,
    parens: 0,
    quotes: 0,
    globstar: false,
    tokens
  };

  input = utils.removePrefix(input, state);
  len = input.length;

  const extglobs = [];
  const braces = [];
  const stack = [];
  let prev = bos;
  let value;

  /**
   * Tokenizing helpers
   */

  const eos = () => state.index === len - 1;
  const peek = state.peek = (n = 1) => input[state.index + n];
  const advance = state.advance = () => input[++state.index] || '';
  const remaining = () => input.slice(state.index + 1);
  const consume = (value = '', num = 0) => {
    state.consumed += value;
    state.index += num;
  };

  const append = token => {
    state.output += token.output != null ? token.output : token.value;
    consume(token.value);
  };

  const negate = () => {
    let count = 1;

    while (peek() === '!' && (peek(2) !== '(' || peek(3) === '?')) {
      advance();
      state.start++;
      count++;
    }

    if (count % 2 === 0) {
      return false;
    }

    state.negated = true;
    state.start++;
    return true;
  };

  const increment = type => {
    state[type]++;
    stack.push(type);
  };

  const decrement = type => {
    state[type]--;
    stack.pop();
  };

  /**
   * Push tokens onto the tokens array. This helper speeds up
   * tokenizing by 1) helping us avoid backtracking as much as possible,
   * and 2) helping us avoid creating extra tokens when consecutive
   * characters are plain text. This improves performance and simplifies
   * lookbehinds.
   */

  const push = tok => {
    if (prev.type === 'globstar') {
      const isBrace = state.braces > 0 && (tok.type === 'comma' || tok.type === 'brace');
      const isExtglob = tok.extglob === true || (extglobs.length && (tok.type === 'pipe' || tok.type === 'paren'));

      if (tok.type !== 'slash' && tok.type !== 'paren' && !isBrace && !isExtglob) {
        state.output = state.output.slice(0, -prev.output.length);
        prev.type = 'star';
        prev.value = '*';
        prev.output = star;
        state.output += prev.output;
      }
    }

    if (extglobs.length && tok.type !== 'paren') {
      extglobs[extglobs.length - 1].inner += tok.value;
    }

    if (tok.value || tok.output) append(tok);
    if (prev && prev.type === 'text' && tok.type === 'text') {
      prev.output = (prev.output || prev.value) + tok.value;
      prev.value += tok.value;
      return;
    }

    tok.prev = prev;
    tokens.push(tok);
    prev = tok;
  };

  const extglobOpen = (type, value) => {
    const token = { ...EXTGLOB_CHARS[value], conditions: 1, inner: '' };

    token.prev = prev;
    token.parens = state.parens;
    token.output = state.output;
    token.startIndex = state.index;
    token.tokensIndex = tokens.length;
    const output = (opts.capture ? '(' : '') + token.open;

    increment('parens');
    push({ type, value, output: state.output ? '' : ONE_CHAR });
    push({ type: 'paren', extglob: true, value: advance(), output });
    extglobs.push(token);
  };

  const extglobClose = token => {
    const literal = input.slice(token.startIndex, state.index + 1);
    const body = input.slice(token.startIndex + 2, state.index);
    const analysis = analyzeRepeatedExtglob(body, opts);

    if ((token.type === 'plus' || token.type === 'star') && analysis.risky) {
      const safeOutput = analysis.safeOutput
        ? (token.output ? '' : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput)
        : undefined;
      const open = tokens[token.tokensIndex];

      open.type = 'text';
      open.value = literal;
      open.output = safeOutput || utils.escapeRegex(literal);

      for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
        tokens[i].value = '';
        tokens[i].output = '';
        delete tokens[i].suffix;
      }

      state.output = token.output + open.output;
      state.backtrack = true;

      push({ type: 'paren', extglob: true, value, output: '' });
      decrement('parens');
      return;
    }

    let output = token.close + (opts.capture ? ')' : '');
    let rest;

    if (token.type === 'negate') {
      let extglobStar = star;

      if (token.inner && token.inner.length > 1 && token.inner.includes('/')) {
        extglobStar = globstar(opts);
      }

      if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
        output = token.close = `)$))${extglobStar}`;
      }

      if (token.inner.includes('*') && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
        // Any non-magical string (`.ts`) or even nested expression (`.{ts,tsx}`) can follow after the closing parenthesis.
        // In this case, we need to parse the string and use it in the output of the original pattern.
        // Suitable patterns: `/!(*.d).ts`, `/!(*.d).{ts,tsx}`, `**/!(*-dbg).@(js)`.
        //
        // Disabling the `fastpaths` option due to a problem with parsing strings as `.ts` in the pattern like `**/!(*.d).ts`.
        const expression = parse(rest, { ...options, fastpaths: false }).output;

        output = token.close = `)${expression})${extglobStar})`;
      }

      if (token.prev.type === 'bos') {
        state.negatedExtglob = true;
      }
    }

    push({ type: 'paren', extglob: true, value, output });
    decrement('parens');
  };

  /**
   * Fast paths
   */

  if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
    let backslashes = false;

    let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
      if (first === '\\') {
        backslashes = true;
        return m;
      }

      if (first === '?') {
        if (esc) {
          return esc + first + (rest ? QMARK.repeat(rest.length) : '');
        }
        if (index === 0) {
          return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : '');
        }
        return QMARK.repeat(chars.length);
      }

      if (first === '.') {
        return DOT_LITERAL.repeat(chars.length);
      }

      if (first === '*') {
        if (esc) {
          return esc + first + (rest ? star : '');
        }
        return star;
      }
      return esc ? m : `\\${m}`;
    });

    if (backslashes === true) {
      if (opts.unescape === true) {
        output = output.replace(/\\/g, '');
      } else {
        output = output.replace(/\\+/g, m => {
          return m.length % 2 === 0 ? '\\\\' : (m ? '\\' : '');
        });
      }
    }

    if (output === input && opts.contains === true) {
      state.output = input;
      return state;
    }

    state.output = utils.wrapOutput(output, state, options);
    return state;
  }

  /**
   * Tokenize input until we reach end-of-string
   */

  while (!eos()) {
    value = advance();

    if (value === '\u0000') {
      continue;
    }

    /**
     * Escaped characters
     */

    if (value === '\\') {
      const next = peek();

      if (next === '/' && opts.bash !== true) {
        continue;
      }

      if (next === '.' || next === ';') {
        continue;
      }

      if (!next) {
        value += '\\';
        push({ type: 'text', value });
        continue;
      }

      // collapse slashes to reduce potential for exploits
      const match = /^\\+/.exec(remaining());
      let slashes = 0;

      if (match && match[0].length > 2) {
        slashes = match[0].length;
        state.index += slashes;
        if (slashes % 2 !== 0) {
          value += '\\';
        }
      }

      if (opts.unescape === true) {
        value = advance();
      } else {
        value += advance();
      }

      if (state.brackets === 0) {
        push({ type: 'text', value });
        continue;
      }
    }

    /**
     * If we're inside a regex character class, continue
     * until we reach the closing bracket.
     */

    if (state.brackets > 0 && (value !== ']' || prev.value === '[' || prev.value === '[^')) {
      if (opts.posix !== false && value === ':') {
        const inner = prev.value.slice(1);
        if (inner.includes('[')) {
          prev.posix = true;

          if (inner.includes(':')) {
            const idx = prev.value.lastIndexOf('[');
            const pre = prev.value.slice(0, idx);
            const rest = prev.value.slice(idx + 2);
            const posix = POSIX_REGEX_SOURCE[rest];
            if (posix) {
              prev.value = pre + posix;
              state.backtrack = true;
              advance();

              if (!bos.output && tokens.indexOf(prev) === 1) {
                bos.output = ONE_CHAR;
              }
              continue;
            }
          }
        }
      }

      if ((value === '[' && peek() !== ':') || (value === '-' && peek() === ']')) {
        value = `\\${value}`;
      }

      if (value === ']' && (prev.value === '[' || prev.value === '[^')) {
        value = `\\${value}`;
      }

      if (opts.posix === true && value === '!' && prev.value === '[') {
        value = '^';
      }

      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * If we're inside a quoted string, continue
     * until we reach the closing double quote.
     */

    if (state.quotes === 1 && value !== '"') {
      value = utils.escapeRegex(value);
      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * Double quotes
     */

    if (value === '"') {
      state.quotes = state.quotes === 1 ? 0 : 1;
      if (opts.keepQuotes === true) {
        push({ type: 'text', value });
      }
      continue;
    }

    /**
     * Parentheses
     */

    if (value === '(') {
      increment('parens');
      push({ type: 'paren', value });
      continue;
    }

    if (value === ')') {
      if (state.parens === 0 && opts.strictBrackets === true) {
        throw new SyntaxError(syntaxError('opening', '('));
      }

      const extglob = extglobs[extglobs.length - 1];
      if (extglob && state.parens === extglob.parens + 1) {
        extglobClose(extglobs.pop());
        continue;
      }

      push({ type: 'paren', value, output: state.parens ? ')' : '\\)' });
      decrement('parens');
      continue;
    }

    /**
     * Square brackets
     */

    if (value === '[') {
      if (opts.nobracket === true || !remaining().includes(']')) {
        if (opts.nobracket !== true && opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('closing', ']'));
        }

        value = `\\${value}`;
      } else {
        increment('brackets');
      }

      push({ type: 'bracket', value });
      continue;
    }

    if (value === ']') {
      if (opts.nobracket === true || (prev && prev.type === 'bracket' && prev.value.length === 1)) {
        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      if (state.brackets === 0) {
        if (opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('opening', '['));
        }

        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      decrement('brackets');

      const prevValue = prev.value.slice(1);
      if (prev.posix !== true && prevValue[0] === '^' && !prevValue.includes('/')) {
        value = `/${value}`;
      }

      prev.value += value;
      append({ value });

      // when literal brackets are explicitly disabled
      // assume we should match with a regex character class
      if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
        continue;
      }

      const escaped = utils.escapeRegex(prev.value);
      state.output = state.output.slice(0, -prev.value.length);

      // when literal brackets are explicitly enabled
      // assume we should escape the brackets to match literal characters
      if (opts.literalBrackets === true) {
        state.output += escaped;
        prev.value = escaped;
        continue;
      }

      // when the user specifies nothing, try to match both
      prev.value = `(${capture}${escaped}|${prev.value})`;
      state.output += prev.value;
      continue;
    }

    /**
     * Braces
     */

    if (value === '{' && opts.nobrace !== true) {
      increment('braces');

      const open = {
        type: 'brace',
        value,
        output: '(',
        outputIndex: state.output.length,
        tokensIndex: state.tokens.length
      };

      braces.push(open);
      push(open);
      continue;
    }

    if (value === '}') {
      const brace = braces[braces.length - 1];

      if (opts.nobrace === true || !brace) {
        push({ type: 'text', value, output: value });
        continue;
      }

      let output = ')';

      if (brace.dots === true) {
        const arr = tokens.slice();
        const range = [];

        for (let i = arr.length - 1; i >= 0; i--) {
          tokens.pop();
          if (arr[i].type === 'brace') {
            break;
          }
          if (arr[i].type !== 'dots') {
            range.unshift(arr[i].value);
          }
        }

        output = expandRange(range, opts);
        state.backtrack = true;
      }

      if (brace.comma !== true && brace.dots !== true) {
        const out = state.output.slice(0, brace.outputIndex);
        const toks = state.tokens.slice(brace.tokensIndex);
        brace.value = brace.output = '\\{';
        value = output = '\\}';
        state.output = out;
        for (const t of toks) {
          state.output += (t.output || t.value);
        }
      }

      push({ type: 'brace', value, output });
      decrement('braces');
      braces.pop();
      continue;
    }

    /**
     * Pipes
     */

    if (value === '|') {
      if (extglobs.length > 0) {
        extglobs[extglobs.length - 1].conditions++;
      }
      push({ type: 'text', value });
      continue;
    }

    /**
     * Commas
     */

    if (value === ',') {
      let output = value;

      const brace = braces[braces.length - 1];
      if (brace && stack[stack.length - 1] === 'braces') {
        brace.comma = true;
        output = '|';
      }

      push({ type: 'comma', value, output });
      continue;
    }

    /**
     * Slashes
     */

    if (value === '/') {
      // if the beginning of the glob is "./", advance the start
      // to the current index, and don't add the "./" characters
      // to the state. This greatly simplifies lookbehinds when
      // checking for BOS characters like "!" and "." (not "./")
      if (prev.type === 'dot' && state.index === state.start + 1) {
        state.start = state.index + 1;
        state.consumed = '';
        state.output = '';
        tokens.pop();
        prev = bos; // reset "prev" to the first token
        continue;
      }

      push({ type: 'slash', value, output: SLASH_LITERAL });
      continue;
    }

    /**
     * Dots
     */

    if (value === '.') {
      if (state.braces > 0 && prev.type === 'dot') {
        if (prev.value === '.') prev.output = DOT_LITERAL;
        const brace = braces[braces.length - 1];
        prev.type = 'dots';
        prev.output += value;
        prev.value += value;
        brace.dots = true;
        continue;
      }

      if ((state.braces + state.parens) === 0 && prev.type !== 'bos' && prev.type !== 'slash') {
        push({ type: 'text', value, output: DOT_LITERAL });
        continue;
      }

      push({ type: 'dot', value, output: DOT_LITERAL });
      continue;
    }

    /**
     * Question marks
     */

    if (value === '?') {
      const isGroup = prev && prev.value === '(';
      if (!isGroup && opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('qmark', value);
        continue;
      }

      if (prev && prev.type === 'paren') {
        const next = peek();
        let output = value;

        if ((prev.value === '(' && !/[!=<:]/.test(next)) || (next === '<' && !/<([!=]|\w+>)/.test(remaining()))) {
          output = `\\${value}`;
        }

        push({ type: 'text', value, output });
        continue;
      }

      if (opts.dot !== true && (prev.type === 'slash' || prev.type === 'bos')) {
        push({ type: 'qmark', value, output: QMARK_NO_DOT });
        continue;
      }

      push({ type: 'qmark', value, output: QMARK });
      continue;
    }

    /**
     * Exclamation
     */

    if (value === '!') {
      if (opts.noextglob !== true && peek() === '(') {
        if (peek(2) !== '?' || !/[!=<:]/.test(peek(3))) {
          extglobOpen('negate', value);
          continue;
        }
      }

      if (opts.nonegate !== true && state.index === 0) {
        negate();
        continue;
      }
    }

    /**
     * Plus
     */

    if (value === '+') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('plus', value);
        continue;
      }

      if ((prev && prev.value === '(') || opts.regex === false) {
        push({ type: 'plus', value, output: PLUS_LITERAL });
        continue;
      }

      if ((prev && (prev.type === 'bracket' || prev.type === 'paren' || prev.type === 'brace')) || state.parens > 0) {
        push({ type: 'plus', value });
        continue;
      }

      push({ type: 'plus', value: PLUS_LITERAL });
      continue;
    }

    /**
     * Plain text
     */

    if (value === '@') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        push({ type: 'at', extglob: true, value, output: '' });
        continue;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Plain text
     */

    if (value !== '*') {
      if (value === '$' || value === '^') {
        value = `\\${value}`;
      }

      const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
      if (match) {
        value += match[0];
        state.index += match[0].length;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Stars
     */

    if (prev && (prev.type === 'globstar' || prev.star === true)) {
      prev.type = 'star';
      prev.star = true;
      prev.value += value;
      prev.output = star;
      state.backtrack = true;
      state.globstar = true;
      consume(value);
      continue;
    }

    let rest = remaining();
    if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
      extglobOpen('star', value);
      continue;
    }

    if (prev.type === 'star') {
      if (opts.noglobstar === true) {
        consume(value);
        continue;
      }

      const prior = prev.prev;
      const before = prior.prev;
      const isStart = prior.type === 'slash' || prior.type === 'bos';
      const afterStar = before && (before.type === 'star' || before.type === 'globstar');

      if (opts.bash === true && (!isStart || (rest[0] && rest[0] !== '/'))) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      const isBrace = state.braces > 0 && (prior.type === 'comma' || prior.type === 'brace');
      const isExtglob = extglobs.length && (prior.type === 'pipe' || prior.type === 'paren');
      if (!isStart && prior.type !== 'paren' && !isBrace && !isExtglob) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      // strip consecutive `/**/`
      while (rest.slice(0, 3) === '/**') {
        const after = input[state.index + 4];
        if (after && after !== '/') {
          break;
        }
        rest = rest.slice(3);
        consume('/**', 3);
      }

      // A globstar followed only by balanced closing parens is at the logical end of patterns like
      // `test(/utils/**)` and `test?(/utils/**)`. Treat it as EOS so the trailing `/**` can match its
      // parent path, except in negated extglobs where that would change the exclusion semantics.
      const isEnd = eos() || (
        state.parens > 0
        && rest === ')'.repeat(state.parens)
        && !extglobs.some(extglob => extglob.type === 'negate')
      );

      if (prior.type === 'bos' && eos()) {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = globstar(opts);
        state.output = prev.output;
        state.globstar = true;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && !afterStar && isEnd) {
        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = globstar(opts) + (opts.strictSlashes ? ')' : '|$)');
        prev.value += value;
        state.globstar = true;
        state.output += prior.output + prev.output;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && rest[0] === '/') {
        const end = rest[1] !== void 0 ? '|$' : '';

        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
        prev.value += value;

        state.output += prior.output + prev.output;
        state.globstar = true;

        consume(value + advance());

        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      if (prior.type === 'bos' && rest[0] === '/') {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
        state.output = prev.output;
        state.globstar = true;
        consume(value + advance());
        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      // remove single star from output
      state.output = state.output.slice(0, -prev.output.length);

      // reset previous token to globstar
      prev.type = 'globstar';
      prev.output = globstar(opts);
      prev.value += value;

      // reset output with globstar
      state.output += prev.output;
      state.globstar = true;
      consume(value);
      continue;
    }

    const token = { type: 'star', value, output: star };

    if (opts.bash === true) {
      token.output = '.*?';
      if (prev.type === 'bos' || prev.type === 'slash') {
        token.output = nodot + token.output;
      }
      push(token);
      continue;
    }

    if (prev && (prev.type === 'bracket' || prev.type === 'paren') && opts.regex === true) {
      token.output = value;
      push(token);
      continue;
    }

    if (state.index === state.start || prev.type === 'slash' || prev.type === 'dot') {
      if (prev.type === 'dot') {
        state.output += NO_DOT_SLASH;
        prev.output += NO_DOT_SLASH;

      } else if (opts.dot === true) {
        state.output += NO_DOTS_SLASH;
        prev.output += NO_DOTS_SLASH;

      } else {
        state.output += nodot;
        prev.output += nodot;
      }

      if (peek() !== '*') {
        state.output += ONE_CHAR;
        prev.output += ONE_CHAR;
      }
    }

    push(token);
  }

  while (state.brackets > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ']'));
    state.output = utils.escapeLast(state.output, '[');
    decrement('brackets');
  }

  while (state.parens > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ')'));
    state.output = utils.escapeLast(state.output, '(');
    decrement('parens');
  }

  while (state.braces > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', '}'));
    state.output = utils.escapeLast(state.output, '{');
    decrement('braces');
  }

  if (opts.strictSlashes !== true && (prev.type === 'star' || prev.type === 'bracket')) {
    push({ type: 'maybe_slash', value: '', output: `${SLASH_LITERAL}?` });
  }

  // rebuild the output if we had to backtrack at any point
  if (state.backtrack === true) {
    state.output = '';

    for (const token of state.tokens) {
      state.output += token.output != null ? token.output : token.value;

      if (token.suffix) {
        state.output += token.suffix;
      }
    }
  }

  return state;
};

/**
 * Fast paths for creating regular expressions for common glob patterns.
 * This can significantly speed up processing and has very little downside
 * impact when none of the fast paths match.
 */

parse.fastpaths = (input, options) => {
  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
  const len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  input = REPLACEMENTS[input] || input;

  // create constants based on platform, for windows or posix
  const {
    DOT_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOTS,
    NO_DOTS_SLASH,
    STAR,
    START_ANCHOR
  } = constants.globChars(opts.windows);

  const nodot = opts.dot ? NO_DOTS : NO_DOT;
  const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
  const capture = opts.capture ? '' : '?:';
  const state = { negated: false, prefix: '' };
  let star = opts.bash === true ? '.*?' : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  const globstar = opts => {
    if (opts.noglobstar === true) return star;
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const create = str => {
    switch (str) {
      case '*':
        return `${nodot}${ONE_CHAR}${star}`;

      case '.*':
        return `${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*.*':
        return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*/*':
        return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;

      case '**':
        return nodot + globstar(opts);

      case '**/*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;

      case '**/*.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '**/.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;

      default: {
        const match = /^(.*?)\.(\w+)$/.exec(str);
        if (!match) return;

        const source = create(match[1]);
        if (!source) return;

        return source + DOT_LITERAL + match[2];
      }
    }
  };

  const output = utils.removePrefix(input, state);
  let source = create(output);

  if (source && opts.strictSlashes !== true) {
    source += `${SLASH_LITERAL}?`;
  }

  return source;
};

module.exports = parse;


/***/ }),

/***/ 8016:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const scan = __nccwpck_require__(1781);
const parse = __nccwpck_require__(8265);
const utils = __nccwpck_require__(4059);
const constants = __nccwpck_require__(5595);
const isObject = val => val && typeof val === 'object' && !Array.isArray(val);

/**
 * Creates a matcher function from one or more glob patterns. The
 * returned function takes a string to match as its first argument,
 * and returns true if the string is a match. The returned matcher
 * function also takes a boolean as the second argument that, when true,
 * returns an object with additional information.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch(glob[, options]);
 *
 * const isMatch = picomatch('*.!(*a)');
 * console.log(isMatch('a.a')); //=> false
 * console.log(isMatch('a.b')); //=> true
 *
 * // For environments without `node.js`, `picomatch/posix` provides you a dependency-free matcher, without automatic OS detection.
 * const picomatch = require('picomatch/posix');
 * // the same API, defaulting to posix paths
 * const isMatch = picomatch('a/*');
 * console.log(isMatch('a\\b')); //=> false
 * console.log(isMatch('a/b')); //=> true
 *
 * // you can still configure the matcher function to accept windows paths
 * const isMatch = picomatch('a/*', { options: windows });
 * console.log(isMatch('a\\b')); //=> true
 * console.log(isMatch('a/b')); //=> true
 * ```
 * @name picomatch
 * @param {String|Array} `globs` One or more glob patterns.
 * @param {Object=} `options`
 * @return {Function=} Returns a matcher function.
 * @api public
 */

const picomatch = (glob, options, returnState = false) => {
  if (Array.isArray(glob)) {
    const fns = glob.map(input => picomatch(input, options, returnState));
    const arrayMatcher = str => {
      for (const isMatch of fns) {
        const state = isMatch(str);
        if (state) return state;
      }
      return false;
    };
    return arrayMatcher;
  }

  const isState = isObject(glob) && glob.tokens && glob.input;

  if (glob === '' || (typeof glob !== 'string' && !isState)) {
    throw new TypeError('Expected pattern to be a non-empty string');
  }

  const opts = options || {};
  const posix = opts.windows;
  const regex = isState
    ? picomatch.compileRe(glob, options)
    : picomatch.makeRe(glob, options, false, true);

  const state = regex.state;
  delete regex.state;

  let isIgnored = () => false;
  if (opts.ignore) {
    const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
    isIgnored = picomatch(opts.ignore, ignoreOpts, returnState);
  }

  const matcher = (input, returnObject = false) => {
    const { isMatch, match, output } = picomatch.test(input, regex, options, { glob, posix });
    const result = { glob, state, regex, posix, input, output, match, isMatch };

    if (typeof opts.onResult === 'function') {
      opts.onResult(result);
    }

    if (isMatch === false) {
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (isIgnored(input)) {
      if (typeof opts.onIgnore === 'function') {
        opts.onIgnore(result);
      }
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (typeof opts.onMatch === 'function') {
      opts.onMatch(result);
    }
    return returnObject ? result : true;
  };

  if (returnState) {
    matcher.state = state;
  }

  return matcher;
};

/**
 * Test `input` with the given `regex`. This is used by the main
 * `picomatch()` function to test the input string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.test(input, regex[, options]);
 *
 * console.log(picomatch.test('foo/bar', /^(?:([^/]*?)\/([^/]*?))$/));
 * // { isMatch: true, match: [ 'foo/', 'foo', 'bar' ], output: 'foo/bar' }
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp} `regex`
 * @return {Object} Returns an object with matching info.
 * @api public
 */

picomatch.test = (input, regex, options, { glob, posix } = {}) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected input to be a string');
  }

  if (input === '') {
    return { isMatch: false, output: '' };
  }

  const opts = options || {};
  const format = opts.format || (posix ? utils.toPosixSlashes : null);
  let match = input === glob;
  let output = (match && format) ? format(input) : input;

  if (match === false) {
    output = format ? format(input) : input;
    match = output === glob;
  }

  if (match === false || opts.capture === true) {
    if (opts.matchBase === true || opts.basename === true) {
      match = picomatch.matchBase(input, regex, options, posix);
    } else {
      match = regex.exec(output);
    }
  }

  return { isMatch: Boolean(match), match, output };
};

/**
 * Match the basename of a filepath.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.matchBase(input, glob[, options]);
 * console.log(picomatch.matchBase('foo/bar.js', '*.js'); // true
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp|String} `glob` Glob pattern or regex created by [.makeRe](#makeRe).
 * @return {Boolean}
 * @api public
 */

picomatch.matchBase = (input, glob, options, posix = options && options.windows) => {
  const regex = glob instanceof RegExp ? glob : picomatch.makeRe(glob, options);
  return regex.test(utils.basename(input, { windows: posix }));
};

/**
 * Returns true if **any** of the given glob `patterns` match the specified `string`.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.isMatch(string, patterns[, options]);
 *
 * console.log(picomatch.isMatch('a.a', ['b.*', '*.a'])); //=> true
 * console.log(picomatch.isMatch('a.a', 'b.*')); //=> false
 * ```
 * @param {String|Array} str The string to test.
 * @param {String|Array} patterns One or more glob patterns to use for matching.
 * @param {Object} [options] See available [options](#options).
 * @return {Boolean} Returns true if any patterns match `str`
 * @api public
 */

picomatch.isMatch = (str, patterns, options) => picomatch(patterns, options)(str);

/**
 * Parse a glob pattern to create the source string for a regular
 * expression.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const result = picomatch.parse(pattern[, options]);
 * ```
 * @param {String} `pattern`
 * @param {Object} `options`
 * @return {Object} Returns an object with useful properties and output to be used as a regex source string.
 * @api public
 */

picomatch.parse = (pattern, options) => {
  if (Array.isArray(pattern)) return pattern.map(p => picomatch.parse(p, options));
  return parse(pattern, { ...options, fastpaths: false });
};

/**
 * Scan a glob pattern to separate the pattern into segments.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.scan(input[, options]);
 *
 * const result = picomatch.scan('!./foo/*.js');
 * console.log(result);
 * { prefix: '!./',
 *   input: '!./foo/*.js',
 *   start: 3,
 *   base: 'foo',
 *   glob: '*.js',
 *   isBrace: false,
 *   isBracket: false,
 *   isGlob: true,
 *   isExtglob: false,
 *   isGlobstar: false,
 *   negated: true }
 * ```
 * @param {String} `input` Glob pattern to scan.
 * @param {Object} `options`
 * @return {Object} Returns an object with
 * @api public
 */

picomatch.scan = (input, options) => scan(input, options);

/**
 * Compile a regular expression from the `state` object returned by the
 * [parse()](#parse) method.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const state = picomatch.parse('*.js');
 * // picomatch.compileRe(state[, options]);
 *
 * console.log(picomatch.compileRe(state));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {Object} `state`
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Intended for implementors, this argument allows you to return the raw output from the parser.
 * @param {Boolean} `returnState` Adds the state to a `state` property on the returned regex. Useful for implementors and debugging.
 * @return {RegExp}
 * @api public
 */

picomatch.compileRe = (state, options, returnOutput = false, returnState = false) => {
  if (returnOutput === true) {
    return state.output;
  }

  const opts = options || {};
  const prepend = opts.contains ? '' : '^';
  const append = opts.contains ? '' : '$';

  let source = `${prepend}(?:${state.output})${append}`;
  if (state && state.negated === true) {
    source = `^(?!${source}).*$`;
  }

  const regex = picomatch.toRegex(source, options);
  if (returnState === true) {
    regex.state = state;
  }

  return regex;
};

/**
 * Create a regular expression from a parsed glob pattern.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.makeRe(state[, options]);
 *
 * const result = picomatch.makeRe('*.js');
 * console.log(result);
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `state` The object returned from the `.parse` method.
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Implementors may use this argument to return the compiled output, instead of a regular expression. This is not exposed on the options to prevent end-users from mutating the result.
 * @param {Boolean} `returnState` Implementors may use this argument to return the state from the parsed glob with the returned regular expression.
 * @return {RegExp} Returns a regex created from the given pattern.
 * @api public
 */

picomatch.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
  if (!input || typeof input !== 'string') {
    throw new TypeError('Expected a non-empty string');
  }

  let parsed = { negated: false, fastpaths: true };

  if (options.fastpaths !== false && (input[0] === '.' || input[0] === '*')) {
    parsed.output = parse.fastpaths(input, options);
  }

  if (!parsed.output) {
    parsed = parse(input, options);
  }

  return picomatch.compileRe(parsed, options, returnOutput, returnState);
};

/**
 * Create a regular expression from the given regex source string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.toRegex(source[, options]);
 *
 * const { output } = picomatch.parse('*.js');
 * console.log(picomatch.toRegex(output));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `source` Regular expression source string.
 * @param {Object} `options`
 * @return {RegExp}
 * @api public
 */

picomatch.toRegex = (source, options) => {
  try {
    const opts = options || {};
    return new RegExp(source, opts.flags || (opts.nocase ? 'i' : ''));
  } catch (err) {
    if (options && options.debug === true) throw err;
    return /$^/;
  }
};

/**
 * Picomatch constants.
 * @return {Object}
 */

picomatch.constants = constants;

/**
 * Expose "picomatch"
 */

module.exports = picomatch;


/***/ }),

/***/ 1781:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const utils = __nccwpck_require__(4059);
const {
  CHAR_ASTERISK,             /* * */
  CHAR_AT,                   /* @ */
  CHAR_BACKWARD_SLASH,       /* \ */
  CHAR_COMMA,                /* , */
  CHAR_DOT,                  /* . */
  CHAR_EXCLAMATION_MARK,     /* ! */
  CHAR_FORWARD_SLASH,        /* / */
  CHAR_LEFT_CURLY_BRACE,     /* { */
  CHAR_LEFT_PARENTHESES,     /* ( */
  CHAR_LEFT_SQUARE_BRACKET,  /* [ */
  CHAR_PLUS,                 /* + */
  CHAR_QUESTION_MARK,        /* ? */
  CHAR_RIGHT_CURLY_BRACE,    /* } */
  CHAR_RIGHT_PARENTHESES,    /* ) */
  CHAR_RIGHT_SQUARE_BRACKET  /* ] */
} = __nccwpck_require__(5595);

const isPathSeparator = code => {
  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
};

const depth = token => {
  if (token.isPrefix !== true) {
    token.depth = token.isGlobstar ? Infinity : 1;
  }
};

/**
 * Quickly scans a glob pattern and returns an object with a handful of
 * useful properties, like `isGlob`, `path` (the leading non-glob, if it exists),
 * `glob` (the actual pattern), `negated` (true if the path starts with `!` but not
 * with `!(`) and `negatedExtglob` (true if the path starts with `!(`).
 *
 * ```js
 * const pm = require('picomatch');
 * console.log(pm.scan('foo/bar/*.js'));
 * { isGlob: true, input: 'foo/bar/*.js', base: 'foo/bar', glob: '*.js' }
 * ```
 * @param {String} `str`
 * @param {Object} `options`
 * @return {Object} Returns an object with tokens and regex source string.
 * @api public
 */

const scan = (input, options) => {
  const opts = options || {};

  const length = input.length - 1;
  const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
  const slashes = [];
  const tokens = [];
  const parts = [];

  let str = input;
  let index = -1;
  let start = 0;
  let lastIndex = 0;
  let isBrace = false;
  let isBracket = false;
  let isGlob = false;
  let isExtglob = false;
  let isGlobstar = false;
  let braceEscaped = false;
  let backslashes = false;
  let negated = false;
  let negatedExtglob = false;
  let finished = false;
  let braces = 0;
  let prev;
  let code;
  let token = { value: '', depth: 0, isGlob: false };

  const eos = () => index >= length;
  const peek = () => str.charCodeAt(index + 1);
  const advance = () => {
    prev = code;
    return str.charCodeAt(++index);
  };

  while (index < length) {
    code = advance();
    let next;

    if (code === CHAR_BACKWARD_SLASH) {
      backslashes = token.backslashes = true;
      code = advance();

      if (code === CHAR_LEFT_CURLY_BRACE) {
        braceEscaped = true;
      }
      continue;
    }

    if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
      braces++;

      while (eos() !== true && (code = advance())) {
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          continue;
        }

        if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (braceEscaped !== true && code === CHAR_COMMA) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (code === CHAR_RIGHT_CURLY_BRACE) {
          braces--;

          if (braces === 0) {
            braceEscaped = false;
            isBrace = token.isBrace = true;
            finished = true;
            break;
          }
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (code === CHAR_FORWARD_SLASH) {
      slashes.push(index);
      tokens.push(token);
      token = { value: '', depth: 0, isGlob: false };

      if (finished === true) continue;
      if (prev === CHAR_DOT && index === (start + 1)) {
        start += 2;
        continue;
      }

      lastIndex = index + 1;
      continue;
    }

    if (opts.noext !== true) {
      const isExtglobChar = code === CHAR_PLUS
        || code === CHAR_AT
        || code === CHAR_ASTERISK
        || code === CHAR_QUESTION_MARK
        || code === CHAR_EXCLAMATION_MARK;

      if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
        isGlob = token.isGlob = true;
        isExtglob = token.isExtglob = true;
        finished = true;
        if (code === CHAR_EXCLAMATION_MARK && index === start) {
          negatedExtglob = true;
        }

        if (scanToEnd === true) {
          let parens = 0;

          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }

            if (code === CHAR_LEFT_PARENTHESES) {
              parens++;
              continue;
            }

            if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
              finished = true;
              break;
            }
          }
          continue;
        }
        break;
      }
    }

    if (code === CHAR_ASTERISK) {
      if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_QUESTION_MARK) {
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_LEFT_SQUARE_BRACKET) {
      while (eos() !== true && (next = advance())) {
        if (next === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (next === CHAR_RIGHT_SQUARE_BRACKET) {
          isBracket = token.isBracket = true;
          isGlob = token.isGlob = true;
          finished = true;
          break;
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
      negated = token.negated = true;
      start++;
      continue;
    }

    if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
      isGlob = token.isGlob = true;

      if (scanToEnd === true) {
        let parens = 1;

        while (eos() !== true && (code = advance())) {
          if (code === CHAR_BACKWARD_SLASH) {
            backslashes = token.backslashes = true;
            advance();
            continue;
          }

          if (code === CHAR_LEFT_PARENTHESES) {
            parens++;
            continue;
          }

          if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
            finished = true;
            break;
          }
        }
        continue;
      }
      break;
    }

    if (isGlob === true) {
      finished = true;

      if (scanToEnd === true) {
        continue;
      }

      break;
    }
  }

  if (opts.noext === true) {
    isExtglob = false;
    isGlob = false;
  }

  let base = str;
  let prefix = '';
  let glob = '';

  if (start > 0) {
    prefix = str.slice(0, start);
    str = str.slice(start);
    lastIndex -= start;
  }

  if (base && isGlob === true && lastIndex > 0) {
    base = str.slice(0, lastIndex);
    glob = str.slice(lastIndex);
  } else if (isGlob === true) {
    base = '';
    glob = str;
  } else {
    base = str;
  }

  if (base && base !== '' && base !== '/' && base !== str) {
    if (isPathSeparator(base.charCodeAt(base.length - 1))) {
      base = base.slice(0, -1);
    }
  }

  if (opts.unescape === true) {
    if (glob) glob = utils.removeBackslashes(glob);

    if (base && backslashes === true) {
      base = utils.removeBackslashes(base);
    }
  }

  const state = {
    prefix,
    input,
    start,
    base,
    glob,
    isBrace,
    isBracket,
    isGlob,
    isExtglob,
    isGlobstar,
    negated,
    negatedExtglob
  };

  if (opts.tokens === true) {
    state.maxDepth = 0;
    if (!isPathSeparator(code)) {
      tokens.push(token);
    }
    state.tokens = tokens;
  }

  if (opts.parts === true || opts.tokens === true) {
    let prevIndex;

    for (let idx = 0; idx < slashes.length; idx++) {
      const n = prevIndex !== undefined ? prevIndex + 1 : start;
      const i = slashes[idx];
      const value = input.slice(n, i);
      if (opts.tokens) {
        if (idx === 0 && start !== 0) {
          tokens[idx].isPrefix = true;
          tokens[idx].value = prefix;
        } else {
          tokens[idx].value = value;
        }
        depth(tokens[idx]);
        state.maxDepth += tokens[idx].depth;
      }
      if (i >= start) {
        parts.push(value);
        prevIndex = i;
      }
    }

    const n = prevIndex !== undefined ? prevIndex + 1 : start;
    const value = input.slice(n);
    parts.push(value);

    if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
      tokens[tokens.length - 1].value = value;
      depth(tokens[tokens.length - 1]);
      state.maxDepth += tokens[tokens.length - 1].depth;
    }

    state.slashes = slashes;
    state.parts = parts;
  }

  return state;
};

module.exports = scan;


/***/ }),

/***/ 4059:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

/*global navigator*/


const {
  REGEX_BACKSLASH,
  REGEX_REMOVE_BACKSLASH,
  REGEX_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_GLOBAL
} = __nccwpck_require__(5595);

exports.isObject = val => val !== null && typeof val === 'object' && !Array.isArray(val);
exports.hasRegexChars = str => REGEX_SPECIAL_CHARS.test(str);
exports.isRegexChar = str => str.length === 1 && exports.hasRegexChars(str);
exports.escapeRegex = str => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, '\\$1');
exports.toPosixSlashes = str => str.replace(REGEX_BACKSLASH, '/');

exports.isWindows = () => {
  if (typeof navigator !== 'undefined' && navigator.platform) {
    const platform = navigator.platform.toLowerCase();
    return platform === 'win32' || platform === 'windows';
  }

  if (typeof process !== 'undefined' && process.platform) {
    return process.platform === 'win32';
  }

  return false;
};

exports.removeBackslashes = str => {
  return str.replace(REGEX_REMOVE_BACKSLASH, match => {
    return match === '\\' ? '' : match;
  });
};

exports.escapeLast = (input, char, lastIdx) => {
  const idx = input.lastIndexOf(char, lastIdx);
  if (idx === -1) return input;
  if (input[idx - 1] === '\\') return exports.escapeLast(input, char, idx - 1);
  return `${input.slice(0, idx)}\\${input.slice(idx)}`;
};

exports.removePrefix = (input, state = {}) => {
  let output = input;
  if (output.startsWith('./')) {
    output = output.slice(2);
    state.prefix = './';
  }
  return output;
};

exports.wrapOutput = (input, state = {}, options = {}) => {
  const prepend = options.contains ? '' : '^';
  const append = options.contains ? '' : '$';

  let output = `${prepend}(?:${input})${append}`;
  if (state.negated === true) {
    output = `(?:^(?!${output}).*$)`;
  }
  return output;
};

exports.basename = (path, { windows } = {}) => {
  const segs = path.split(windows ? /[\\/]/ : '/');
  const last = segs[segs.length - 1];

  if (last === '') {
    return segs[segs.length - 2];
  }

  return last;
};


/***/ }),

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _secrets_scan_workers_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1376);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(268);


if (!(0,_secrets_scan_workers_js__WEBPACK_IMPORTED_MODULE_0__/* .runWorkerIfAsked */ .$)())
    process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i)(process.argv.slice(2));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 268:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// UNUSED EXPORTS: buildProgram

// EXTERNAL MODULE: ./node_modules/commander/index.js
var commander = __nccwpck_require__(8909);
;// CONCATENATED MODULE: ./node_modules/commander/esm.mjs


// wrapper to provide named exports for ESM.
const {
  /* program */ "DM": program,
  /* createCommand */ "gu": createCommand,
  /* createArgument */ "er": createArgument,
  /* createOption */ "Ww": createOption,
  /* CommanderError */ "b7": CommanderError,
  /* InvalidArgumentError */ "Di": InvalidArgumentError,
  /* InvalidOptionArgumentError */ "a2": InvalidOptionArgumentError, // deprecated old name
  /* Command */ "uB": Command,
  /* Argument */ "ef": Argument,
  /* Option */ "c$": Option,
  /* Help */ "_V": Help,
} = commander;

;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * Errors the user can fix (a bad input, a missing file, a broken config) are `UserError`s: they
 * become one clear line and a failed step, never a stack trace. Anything else is an internal
 * failure, reported the same way with its stack kept for debug logs.
 */
class UserError extends Error {
    name = 'UserError';
}
/** A bad input value: names the input, the value and what is allowed. */
class errors_InputError extends UserError {
    input;
    value;
    allowed;
    constructor(input, value, allowed) {
        super(`Invalid value ${JSON.stringify(value)} for input '${input}': ${allowed}.`);
        this.input = input;
        this.value = value;
        this.allowed = allowed;
    }
}
function isUserError(error) {
    return error instanceof UserError;
}
/** The message of anything thrown, for logs and wrapping. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}
/**
 * "Could not X: cause". Keeps a UserError a UserError, so wrapping a config problem in context
 * does not turn it into an internal failure.
 */
function wrapError(what, error) {
    const message = `Could not ${what}: ${errorMessage(error)}`;
    const wrapped = isUserError(error) ? new UserError(message) : new Error(message);
    if (error instanceof Error && error.stack)
        wrapped.stack = `${message}\nCaused by: ${error.stack}`;
    return wrapped;
}

;// CONCATENATED MODULE: ./src/core/version.ts
/** imagepipe's version; a test keeps it equal to package.json's. */
const VERSION = '0.1.0';
const HOMEPAGE = 'https://github.com/imagepipe/imagepipe';

;// CONCATENATED MODULE: ./src/cli/io.ts
const EXIT = { passed: 0, gateFailed: 1, usage: 2 };
function processIo() {
    return {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        cwd: process.cwd(),
        env: process.env,
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
;// CONCATENATED MODULE: ./src/core/exec.ts
/**
 * Runs external tools. Commands are argv arrays handed to the OS without a shell, so no value can
 * be interpreted as shell syntax. Output is streamed line by line to the reporter (inside a log
 * group when one is named) and captured. Which exit codes count as success is explicit.
 *
 * Built on node:child_process rather than @actions/exec so engines can run tools through a
 * Reporter: in the CLI the tool's output must go to stderr, and @actions/exec writes to stdout.
 */


class ExecError extends Error {
    command;
    args;
    result;
    name = 'ExecError';
    constructor(command, args, result) {
        const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
        const tail = lastLines(result.stderr || result.stdout, 5);
        super(`${command} ${how}${tail ? `:\n${tail}` : ''}`);
        this.command = command;
        this.args = args;
        this.result = result;
    }
}
function lastLines(text, n) {
    return text.trimEnd().split('\n').slice(-n).join('\n');
}
/** Splits a stream into lines for the reporter, keeping the partial last line until the end. */
function lineSplitter(emit) {
    let pending = '';
    return {
        push(chunk) {
            const parts = (pending + chunk).split(/\r?\n/);
            pending = parts.pop() ?? '';
            for (const line of parts)
                emit(line);
        },
        end() {
            if (pending)
                emit(pending);
            pending = '';
        },
    };
}
async function execFile(command, args, options = {}) {
    const reporter = options.reporter;
    const runIt = () => {
        reporter?.debug(`exec: ${JSON.stringify([command, ...args])}`);
        return spawnAndCapture(command, args, options);
    };
    const result = options.group && reporter ? await reporter.group(options.group, runIt) : await runIt();
    const ok = options.okExitCodes ?? [0];
    if (result.signal || (ok !== 'any' && !ok.includes(result.exitCode))) {
        throw new ExecError(command, args, result);
    }
    return result;
}
function spawnAndCapture(command, args, options) {
    const max = options.maxCapture ?? 64 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(command, [...args], {
            cwd: options.cwd,
            env: options.env ?? process.env,
            shell: false,
            // No input: stdin is /dev/null, so a tool that never reads it costs no EPIPE (whose stack
            // trace, through the bundle's source maps, took a third of a second).
            stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        const out = [];
        const err = [];
        let outSize = 0;
        let errSize = 0;
        const show = options.silent || !options.reporter ? undefined : options.reporter;
        const outLines = lineSplitter((l) => show?.info(l));
        const errLines = lineSplitter((l) => show?.info(l));
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
            if (outSize < max)
                out.push(chunk);
            outSize += chunk.length;
            outLines.push(chunk);
        });
        child.stderr.setEncoding('utf8').on('data', (chunk) => {
            if (errSize < max)
                err.push(chunk);
            errSize += chunk.length;
            errLines.push(chunk);
        });
        let killTimer;
        const onAbort = () => {
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            killTimer.unref();
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        child.on('error', (error) => {
            options.signal?.removeEventListener('abort', onAbort);
            if (error.code === 'ENOENT') {
                reject(new UserError(`Could not run ${command}: it was not found on PATH. Install it or add it to PATH.`));
            }
            else {
                reject(new Error(`Could not run ${command}: ${error.message}`));
            }
        });
        child.on('close', (code, signal) => {
            options.signal?.removeEventListener('abort', onAbort);
            if (killTimer)
                clearTimeout(killTimer);
            outLines.end();
            errLines.end();
            resolve({
                exitCode: code ?? -1,
                signal: signal ?? undefined,
                stdout: out.join(''),
                stderr: err.join(''),
            });
        });
        if (child.stdin) {
            child.stdin.on('error', () => undefined); // a tool that exits without reading stdin is not an error
            child.stdin.end(options.input);
        }
    });
}

// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __nccwpck_require__(298);
var ignore_default = /*#__PURE__*/__nccwpck_require__.n(ignore);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __nccwpck_require__(4006);
var picomatch_default = /*#__PURE__*/__nccwpck_require__.n(picomatch);
;// CONCATENATED MODULE: ./src/secrets-scan/files.ts
/**
 * Which files a tree scan reads. Inside a git work tree, git itself says (`git ls-files`): tracked
 * files, even ones a later .gitignore covers (a committed `.env` is still leaked), plus untracked
 * files that are not ignored, honouring every .gitignore, `.git/info/exclude` and the global
 * excludes exactly as git does; submodules and nested repositories are listed by their own git.
 * Outside a work tree, or when git cannot be run, the tree is walked (honouring .gitignore files
 * through the `ignore` package when the folder lies inside a work tree), and any repository found
 * on the way is listed by git. Either way `.git/` and the user's exclude globs are
 * skipped, and paths are made relative to the repository root (or the scanned folder outside git),
 * so SARIF URIs and fingerprints do not depend on where the scan was started.
 */






/** `/`-separated path of `file` relative to `base`. */
function relativePosix(base, file) {
    return external_node_path_.relative(base, file).split(external_node_path_.sep).join('/');
}
/**
 * Git options for reading a work tree that may belong to another user (a `container:` job, a
 * mounted checkout): reading is safe once the repository's config cannot run a program, so the
 * fsmonitor hook is turned off.
 */
const GIT_READ = ['-c', 'safe.directory=*', '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=off'];
/** A `.git` in the folder or an ancestor: git would honour .gitignore here. */
function insideWorkTree(dir) {
    for (let d = dir;; d = external_node_path_.dirname(d)) {
        if (external_node_fs_.existsSync(external_node_path_.join(d, '.git')))
            return true;
        if (external_node_path_.dirname(d) === d)
            return false;
    }
}
/** The work tree's top level, or undefined (with a warning when git should have answered). */
async function gitTopLevel(git, dir, reporter) {
    const fallback = 'walking the folder instead: .gitignore is honoured, but files that are committed and also ignored are not scanned';
    try {
        const result = await execFile(git, [...GIT_READ, 'rev-parse', '--show-toplevel'], {
            cwd: dir,
            silent: true,
            okExitCodes: 'any',
        });
        if (result.exitCode === 0 && result.stdout.trim())
            return outermost(git, external_node_fs_.realpathSync(result.stdout.trim()));
        if (insideWorkTree(dir)) {
            reporter.warning(`git could not read the work tree at ${dir} (${result.stderr.trim().split('\n')[0]}); ${fallback}.`);
        }
        return undefined;
    }
    catch (error) {
        if (insideWorkTree(dir))
            reporter.warning(`${errorMessage(error)} ${fallback}.`);
        return undefined;
    }
}
/**
 * A submodule's top level is not the repository the user checked out: paths are relative to the
 * outermost superproject, so `lib/x.env` is `lib/x.env` whether the scan starts at the root or in
 * the submodule.
 */
async function outermost(git, top) {
    for (let depth = 0; depth < 8; depth++) {
        const result = await execFile(git, [...GIT_READ, 'rev-parse', '--show-superproject-working-tree'], {
            cwd: top,
            silent: true,
            okExitCodes: 'any',
        });
        const parent = result.exitCode === 0 ? result.stdout.trim() : '';
        if (!parent)
            return top;
        top = external_node_fs_.realpathSync(parent);
    }
    return top;
}
/** Files git lists under `dir`, recursing into submodules and nested repositories. */
async function gitList(git, dir, reporter, depth = 0) {
    const run = async (args) => (await execFile(git, [...GIT_READ, 'ls-files', '-z', ...args, '--', '.'], { cwd: dir, silent: true })).stdout
        .split('\0')
        .filter((entry) => entry !== '');
    const files = new Set();
    const repos = [];
    for (const entry of await run(['--stage'])) {
        const tab = entry.indexOf('\t');
        const rel = entry.slice(tab + 1);
        if (entry.startsWith('160000 '))
            repos.push(rel); // a submodule
        else
            files.add(rel);
    }
    for (const rel of await run(['--others', '--exclude-standard'])) {
        if (rel.endsWith('/'))
            repos.push(rel.slice(0, -1)); // an untracked repository inside this one
        else
            files.add(rel);
    }
    const out = [...files].map((rel) => external_node_path_.join(dir, rel));
    for (const rel of repos) {
        const nested = external_node_path_.join(dir, rel);
        if (depth < 8 && external_node_fs_.existsSync(external_node_path_.join(nested, '.git'))) {
            out.push(...(await nestedList(git, nested, reporter, depth + 1)));
        }
    }
    return out;
}
/** A repository inside the scanned tree: listed by git, or walked when git cannot read it. */
async function nestedList(git, dir, reporter, depth) {
    try {
        return await gitList(git, dir, reporter, depth);
    }
    catch (error) {
        const reason = errorMessage(error).trim().split('\n').slice(-1)[0];
        reporter.warning(`git could not list the repository at ${dir} (${reason}); walking it instead.`);
        return walk(dir, true).files;
    }
}
/**
 * A plain walk that honours .gitignore files met on the way down (when `honourGitignore`). A folder
 * holding a `.git` below the root is a repository of its own: it is returned in `repos`, not walked,
 * so git can list it.
 */
function walk(root, honourGitignore) {
    const files = [];
    const repos = [];
    const visit = (dir, rules) => {
        let entries;
        try {
            entries = external_node_fs_.readdirSync(dir, { withFileTypes: true });
        }
        catch {
            return; // an unreadable folder: nothing to list
        }
        if (dir !== root && entries.some((e) => e.name === '.git')) {
            repos.push(dir);
            return;
        }
        let scoped = rules;
        if (honourGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
            try {
                scoped = [
                    ...rules,
                    { base: dir, ig: ignore_default()().add(external_node_fs_.readFileSync(external_node_path_.join(dir, '.gitignore'), 'utf8')) },
                ];
            }
            catch {
                // an unreadable .gitignore ignores nothing
            }
        }
        for (const entry of entries) {
            if (entry.name === '.git')
                continue;
            const full = external_node_path_.join(dir, entry.name);
            const isDir = entry.isDirectory(); // a symlink is not followed, so a link loop cannot trap the walk
            if (scoped.some(({ base, ig }) => ig.ignores(relativePosix(base, full) + (isDir ? '/' : ''))))
                continue;
            if (isDir)
                visit(full, scoped);
            else if (entry.isFile())
                files.push(full);
        }
    };
    visit(root, []);
    return { files, repos };
}
/**
 * Exclude globs with .gitignore's meaning: a glob without a `/` matches a file or folder name at
 * any depth (`node_modules`, `*.lock`, `.env*`); a trailing `/` matches folders only; a glob with
 * a `/` is anchored at the base (`docs/**`, `/build`). A folder that matches excludes all below it.
 */
function excludeMatcher(globs) {
    for (const glob of globs) {
        if (glob.startsWith('!')) {
            throw new UserError(`The exclude glob ${JSON.stringify(glob)} starts with '!': re-including paths is not supported. List only what to skip.`);
        }
    }
    const used = new Set();
    const matchers = globs.map((glob) => {
        const dirOnly = glob.endsWith('/');
        const body = glob.replace(/\/+$/, '');
        const anchored = body.includes('/');
        const isMatch = picomatch_default()(body.replace(/^\//, ''), { dot: true });
        return (segments) => {
            const last = dirOnly ? segments.length - 1 : segments.length;
            for (let i = 0; i < last; i++) {
                if (anchored ? isMatch(segments.slice(0, i + 1).join('/')) : isMatch(segments[i]))
                    return true;
            }
            return false;
        };
    });
    const test = ((relative) => {
        const segments = relative.split('/');
        let hit = false;
        matchers.forEach((matches, i) => {
            if (matches(segments)) {
                hit = true;
                used.add(globs[i]);
            }
        });
        return hit;
    });
    test.unused = () => globs.filter((g) => !used.has(g));
    return test;
}
async function listFiles(options) {
    const root = external_node_fs_.realpathSync(options.root);
    const git = options.git ?? 'git';
    const top = await gitTopLevel(git, root, options.reporter);
    const source = top !== undefined ? 'git' : 'walk';
    let files;
    if (top !== undefined) {
        files = await gitList(git, root, options.reporter);
    }
    else {
        const walked = walk(root, insideWorkTree(root));
        files = walked.files;
        for (const repo of walked.repos)
            files.push(...(await nestedList(git, repo, options.reporter, 1)));
    }
    const base = top ?? options.baseOutsideGit ?? root;
    const isExcluded = excludeMatcher(options.exclude);
    const kept = [];
    let excluded = 0;
    for (const file of files) {
        const rel = relativePosix(base, file);
        if (rel.split('/').includes('.git'))
            continue;
        if (isExcluded(rel))
            excluded++;
        else
            kept.push(file);
    }
    kept.sort();
    return { files: kept, source, base, excluded, unusedExcludes: isExcluded.unused() };
}
/** The repository root a single file belongs to, if it is in a work tree. */
async function baseForFile(file, reporter, git = 'git') {
    return gitTopLevel(git, external_node_path_.dirname(external_node_fs_.realpathSync(file)), reporter);
}

;// CONCATENATED MODULE: ./src/cli/install-hooks.ts
/**
 * `imagepipe install-hooks`: a git pre-commit hook that runs the staged secrets scan, so a secret
 * is stopped before it is committed, let alone pushed. The hook records this installation's node
 * and CLI paths (it works without imagepipe on PATH) and falls back to `imagepipe` on PATH.
 */







const HOOK_MARKER = '# imagepipe pre-commit hook';
/** A value as one single-quoted sh word. */
function shQuote(value) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
function hookScript(node, cli) {
    return `#!/bin/sh
${HOOK_MARKER}, written by \`imagepipe install-hooks\`: blocks a commit that adds a secret.
# A false positive: add an \`imagepipe:allow\` comment on its line. Skip once: git commit --no-verify.
IMAGEPIPE_NODE=${shQuote(node)}
IMAGEPIPE_CLI=${shQuote(cli)}
if [ -x "$IMAGEPIPE_NODE" ] && [ -f "$IMAGEPIPE_CLI" ]; then
  exec "$IMAGEPIPE_NODE" "$IMAGEPIPE_CLI" secrets-scan --mode staged
elif command -v imagepipe >/dev/null 2>&1; then
  exec imagepipe secrets-scan --mode staged
fi
echo "imagepipe pre-commit hook: imagepipe is not installed where it was (${cli.replace(/["`$\\]/g, '')}) nor on PATH." >&2
echo "Install it (npm install --global imagepipe) and run imagepipe install-hooks again." >&2
exit 1
`;
}
/** Writes the hook where git will run it (core.hooksPath honoured); returns its path. */
async function installHooks(options) {
    const result = await execFile('git', [...GIT_READ, 'rev-parse', '--git-path', 'hooks'], {
        cwd: options.cwd,
        silent: true,
        okExitCodes: 'any',
    });
    if (result.exitCode !== 0) {
        throw new UserError(`install-hooks needs a git repository, and ${options.cwd} is not in one. Run it inside your clone.`);
    }
    const hooks = external_node_path_.resolve(options.cwd, result.stdout.trim());
    const file = external_node_path_.join(hooks, 'pre-commit');
    let backup;
    if (external_node_fs_.existsSync(file)) {
        const current = external_node_fs_.readFileSync(file, 'utf8');
        if (!current.includes(HOOK_MARKER)) {
            if (!options.force) {
                throw new UserError(`${file} already exists and was not written by imagepipe. Add \`imagepipe secrets-scan --mode staged\` to it yourself, use the pre-commit framework (.pre-commit-hooks.yaml), or pass --force to replace it (it is kept as pre-commit.imagepipe-backup).`);
            }
            backup = `${file}.imagepipe-backup`;
            external_node_fs_.copyFileSync(file, backup);
        }
    }
    const cli = options.cli ?? external_node_fs_.realpathSync(process.argv[1] ?? '');
    try {
        external_node_fs_.mkdirSync(hooks, { recursive: true });
        external_node_fs_.writeFileSync(file, hookScript(options.node ?? process.execPath, cli), { mode: 0o755 });
        external_node_fs_.chmodSync(file, 0o755);
    }
    catch (error) {
        throw new UserError(`Could not write ${file}: ${errorMessage(error)}`);
    }
    return { file, ...(backup ? { backup } : {}) };
}
function installHooksCommand(io, setExit) {
    return new Command('install-hooks')
        .summary('install a git pre-commit hook that blocks commits adding secrets')
        .description('Write .git/hooks/pre-commit (or into core.hooksPath) running `imagepipe secrets-scan --mode staged`.\n' +
        'A commit that adds a secret is stopped with the file, line, rule and redacted value.')
        .option('--force', 'replace a pre-commit hook imagepipe did not write (kept as a backup)')
        .action(async (options) => {
        const { file, backup } = await installHooks({ cwd: io.cwd, force: options.force });
        io.stderr(`Installed the pre-commit hook: ${file}${backup ? ` (the previous hook is in ${backup})` : ''}.\n`);
        setExit(EXIT.passed);
    });
}

;// CONCATENATED MODULE: ./src/core/inputs.ts
/**
 * Typed readers for action inputs, keyed by the exact `action.yml` names. The runner passes an
 * input `foo-bar` as the environment variable `INPUT_FOO-BAR` (an empty string when unset).
 * Every reader validates: a bad value is an InputError naming the input, the value and what is
 * allowed. The pure `parse*` functions are shared with the CLI, so both reject the same values.
 */



/** The raw value, trimmed: '' when unset. */
function rawInput(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function read(name, options, parse, what) {
    const raw = rawInput(name, options.env);
    if (raw === '') {
        if (options.default !== undefined)
            return options.default;
        throw new InputError(name, raw, `the input is required (${what})`);
    }
    return parse(raw);
}
function getStringInput(name, options = {}) {
    return read(name, options, (raw) => raw, 'a non-empty string');
}
/**
 * Splits on newlines or commas, except commas inside `{…}` (a glob's alternatives, as in
 * `**\/*.{yml,yaml}`); trims; drops empty items.
 */
function parseList(raw) {
    const items = [];
    let current = '';
    let depth = 0;
    for (const ch of raw) {
        if (ch === '{')
            depth++;
        else if (ch === '}' && depth > 0)
            depth--;
        if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
            items.push(current);
            current = '';
            depth = 0;
        }
        else {
            current += ch;
        }
    }
    items.push(current);
    return items.map((item) => item.trim()).filter((item) => item !== '');
}
function getListInput(name, options = {}) {
    return read(name, { default: [], ...options }, parseList, 'a list');
}
/** Booleans are `true` or `false`, nothing else: `yes`, `1` and `True` are rejected, not guessed. */
function parseBoolean(name, raw) {
    if (raw === 'true')
        return true;
    if (raw === 'false')
        return false;
    throw new InputError(name, raw, 'use true or false');
}
function getBooleanInput(name, options = {}) {
    return read(name, options, (raw) => parseBoolean(name, raw), 'true or false');
}
function parseEnum(name, raw, allowed) {
    if (allowed.includes(raw))
        return raw;
    throw new InputError(name, raw, `allowed values are ${allowed.join(', ')}`);
}
function getEnumInput(name, allowed, options = {}) {
    return read(name, options, (raw) => parseEnum(name, raw, allowed), `one of ${allowed.join(', ')}`);
}
function parseInteger(name, raw, bounds = {}) {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
    const range = `an integer from ${min} to ${max}`;
    if (!/^[+-]?\d+$/.test(raw))
        throw new errors_InputError(name, raw, `expected ${range}`);
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new errors_InputError(name, raw, `expected ${range}`);
    }
    return value;
}
function getIntegerInput(name, options = {}) {
    return read(name, options, (raw) => parseInteger(name, raw, options), 'an integer');
}
/** The workspace the runner checked out into, or the current directory outside a runner. */
function workspaceDir(env = process.env) {
    return path.resolve(env.GITHUB_WORKSPACE || process.cwd());
}
/** The real path of `p`, or of its deepest existing ancestor with the rest appended. */
function realOrResolved(p) {
    const absolute = path.resolve(p);
    const rest = [];
    for (let dir = absolute;; dir = path.dirname(dir)) {
        try {
            return path.join(fs.realpathSync.native(dir), ...rest);
        }
        catch {
            if (path.dirname(dir) === dir)
                return absolute;
            rest.unshift(path.basename(dir));
        }
    }
}
/**
 * Resolves `raw` against the workspace and refuses a path that leaves it (`../x`, an absolute
 * path elsewhere, or a symlink pointing out), so an input cannot make an action read or write
 * outside the checkout.
 */
function resolveInWorkspace(name, raw, workspace) {
    const root = realOrResolved(workspace);
    const absolute = path.resolve(root, raw);
    const real = realOrResolved(absolute);
    for (const candidate of [absolute, real]) {
        const rel = path.relative(root, candidate);
        if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
            throw new InputError(name, raw, `the path must stay inside the workspace ${root}`);
        }
    }
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    return { absolute, relative: relative === '' ? '.' : relative };
}
function getPathInput(name, options = {}) {
    const raw = getStringInput(name, options);
    const resolved = resolveInWorkspace(name, raw, options.workspace ?? workspaceDir(options.env));
    if (options.mustExist)
        checkExists(name, raw, resolved.absolute, options.mustExist);
    return resolved;
}
/**
 * For an output file: refuses a path that is a folder or lies under a file, before any work is
 * done, so a typo does not cost a whole scan.
 */
function checkWritableFile(name, raw, absolute) {
    if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
        throw new InputError(name, raw, 'it is a folder; give a file path such as reports/out.sarif');
    }
    for (let dir = path.dirname(absolute);; dir = path.dirname(dir)) {
        if (fs.existsSync(dir)) {
            if (!fs.statSync(dir).isDirectory()) {
                throw new InputError(name, raw, `${dir} is a file, so nothing can be written below it`);
            }
            return;
        }
        if (path.dirname(dir) === dir)
            return;
    }
}
function checkExists(name, raw, absolute, kind) {
    let stat;
    try {
        stat = fs.statSync(absolute);
    }
    catch {
        throw new InputError(name, raw, `no such ${kind === 'any' ? 'file or directory' : kind} (${absolute})`);
    }
    if (kind === 'file' && !stat.isFile())
        throw new InputError(name, raw, 'expected a file, found a directory');
    if (kind === 'directory' && !stat.isDirectory()) {
        throw new InputError(name, raw, 'expected a directory, found a file');
    }
}

;// CONCATENATED MODULE: ./src/core/reporter.ts
/** A terminal reporter for the CLI: plain lines on stderr, groups as headings. */
function consoleReporter(options = {}) {
    const write = options.write ?? ((text) => process.stderr.write(text));
    const line = (text) => write(`${text}\n`);
    return {
        info: line,
        warning: (message) => line(`warning: ${message}`),
        error: (message) => line(`error: ${message}`),
        debug: (message) => {
            if (options.verbose)
                line(`debug: ${message}`);
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
function recordingReporter() {
    const lines = [];
    const annotations = [];
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

;// CONCATENATED MODULE: ./src/core/text.ts
/** Small wording helpers shared by every report. */
/** `1 secret`, `3 secrets`, `1 file`, `0 files`. */
function text_plural(count, noun, pluralNoun = `${noun}s`) {
    return `${count} ${count === 1 ? noun : pluralNoun}`;
}

;// CONCATENATED MODULE: ./src/secrets-scan/baseline.ts
/**
 * Baselines: the fingerprints of findings a repository has accepted for now (usually secrets
 * already in its history, revoked, awaiting a cleanse), so the gate can be adopted before the
 * history is clean. A baseline holds fingerprints (rule + path + a digest of the secret), the rule
 * and the path, never the secret: it can be committed. A finding whose fingerprint is listed is
 * reported as suppressed; a new secret, even on a baselined line, has another fingerprint and fails.
 */




const BASELINE_FORMAT = 'imagepipe-secrets-baseline';
/** The baseline of these findings, sorted and without duplicates (the same secret twice in a file is one entry). */
function baselineOf(findings) {
    const entries = new Map();
    for (const f of findings)
        entries.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.ruleId, path: f.path });
    return {
        format: BASELINE_FORMAT,
        version: 1,
        generator: `imagepipe ${VERSION}`,
        findings: [...entries.values()].sort((a, b) => a.path.localeCompare(b.path) ||
            a.rule.localeCompare(b.rule) ||
            a.fingerprint.localeCompare(b.fingerprint)),
    };
}
function writeBaseline(file, findings) {
    const baseline = baselineOf(findings);
    try {
        external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
        external_node_fs_.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
    }
    catch (error) {
        throw new UserError(`Could not write the baseline ${file}: ${errorMessage(error)}`);
    }
    return baseline;
}
/** Reads a baseline, checking its shape; a corrupt one is a clear error, never an empty baseline. */
function readBaseline(file, shown = file) {
    let text;
    try {
        text = external_node_fs_.readFileSync(file, 'utf8');
    }
    catch (error) {
        throw new UserError(`Could not read the baseline ${shown}: ${errorMessage(error)}. Write one with \`imagepipe secrets-scan --write-baseline ${shown}\`.`);
    }
    const fail = (problem) => new UserError(`The baseline ${shown} is not a secrets-scan baseline: ${problem}. Write it again with \`imagepipe secrets-scan --write-baseline ${shown}\`.`);
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        throw fail(`it is not valid JSON (${errorMessage(error)})`);
    }
    const doc = data;
    if (typeof doc !== 'object' || doc === null || doc.format !== BASELINE_FORMAT) {
        throw fail(`its "format" is not ${JSON.stringify(BASELINE_FORMAT)}`);
    }
    if (doc.version !== 1)
        throw fail(`version ${JSON.stringify(doc.version)} is not one this version reads (1)`);
    if (!Array.isArray(doc.findings))
        throw fail('"findings" is not a list');
    const fingerprints = new Set();
    doc.findings.forEach((entry, i) => {
        const fp = entry?.fingerprint;
        if (typeof fp !== 'string' || !/^[0-9a-f]{32}$/.test(fp)) {
            throw fail(`findings[${i}] has no 32-hex-digit "fingerprint"`);
        }
        fingerprints.add(fp);
    });
    return fingerprints;
}
/** Marks the findings the baseline lists as suppressed; returns how many it matched. */
function applyBaseline(findings, fingerprints, shown) {
    let matched = 0;
    for (const f of findings) {
        if (f.suppression || !fingerprints.has(f.fingerprint))
            continue;
        f.suppression = { kind: 'external', justification: `listed in the baseline ${shown}` };
        matched++;
    }
    return matched;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:perf_hooks"
const external_node_perf_hooks_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");
;// CONCATENATED MODULE: ./src/secrets-scan/cleanse.ts
/**
 * Purges leaked secrets from a repository's history. The remote is mirror-cloned into a scratch
 * folder, every ref is rewritten by git-filter-repo with each secret replaced by `***REMOVED***`,
 * the rewritten history is scanned again, and only when nothing remains are the rewritten branches
 * and tags force-pushed back. The caller's own checkout is never used, and git's
 * repository-locating variables are dropped, so a hook's GIT_DIR cannot redirect any command.
 *
 * git-filter-repo 2.38 facts this relies on:
 * - `--replace-text` lines are split on the LAST `==>`, then read as `regex:`, `glob:` or
 *   (optionally prefixed) `literal:`; all literals are applied before any regex, per blob.
 * - Blobs with a NUL byte in their first 8 KiB (binary files) are left unchanged.
 * - In a mirror clone there are no refs/remotes/origin/*, so it keeps the `origin` remote (it only
 *   removes it after migrating those refs); we remove it ourselves, as the history is no longer
 *   origin's and a plain `git push` from a mirror would push every ref, deletions included.
 * - Without `--partial` it expires reflogs and runs `gc --prune=now`, so the old objects leave the
 *   mirror too; `--refs`/`--partial` are not wanted: every ref is rewritten.
 */





const cleanse_REDACTED = '***REMOVED***';
const MIRROR_FOLDER = 'mirror.git';
const INSTALL_HINT = 'Install it: `apt-get install git-filter-repo`, `pip install git-filter-repo` or `brew install git-filter-repo`.';
// Inherited from a git hook or a wrapper, these would point every command at the caller's
// repository instead of the mirror.
const REPOSITORY_ENV = [
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_ALTERNATE_OBJECT_DIRECTORIES',
    'GIT_COMMON_DIR',
    'GIT_NAMESPACE',
    'GIT_PREFIX',
    'GIT_IMPLICIT_WORK_TREE',
    'GIT_GRAFT_FILE',
    'GIT_SHALLOW_FILE',
    'GIT_REPLACE_REF_BASE',
    'GIT_NO_REPLACE_OBJECTS',
    'GIT_QUARANTINE_PATH',
];
/** Content for `git filter-repo --replace-text`: every secret becomes `***REMOVED***`. */
function replacementsFile(secrets) {
    const unique = checkedSecrets(secrets);
    const multiLine = unique.filter((s) => /[\r\n]/.test(s));
    // filter-repo applies every literal before any regex, so a secret found inside a multi-line one
    // must be a regex too: replaced first as a literal, it would break the longer match.
    const asRegex = new Set(unique.filter((s) => multiLine.some((m) => m.includes(s))));
    const ordered = [...unique].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    // An explicit `==>` replacement always ends the line: filter-repo splits on the last `==>`, so
    // one inside a literal stays part of it. `literal:` keeps a secret that starts with `regex:` or
    // `glob:` literal.
    const lines = ordered.map((s) => asRegex.has(s) ? `regex:${pythonRegexEscape(s)}==>${cleanse_REDACTED}` : `literal:${s}==>${cleanse_REDACTED}`);
    return `${lines.join('\n')}\n`;
}
function checkedSecrets(secrets) {
    if (secrets.length === 0) {
        throw new UserError('No secrets to remove from history: pass the values the scan found.');
    }
    secrets.forEach((s, i) => {
        if (s.trim() === '') {
            throw new UserError(`Secret #${i + 1} of ${secrets.length} is empty or only whitespace: pass the exact values the scan found.`);
        }
    });
    return [...new Set(secrets)];
}
/**
 * Escapes every character for Python's `re` (bytes patterns): letters and digits stay (a backslash
 * before them would make a special sequence or a back-reference), controls become `\xHH` (so no
 * line break reaches the file), other ASCII gets a backslash (which also breaks up any `==>`), and
 * non-ASCII characters, never special, stay as their UTF-8 bytes.
 */
function pythonRegexEscape(text) {
    let out = '';
    for (const ch of text) {
        const code = ch.codePointAt(0) ?? 0;
        if (/[A-Za-z0-9_]/.test(ch) || code > 0x7f)
            out += ch;
        else if (code < 0x20 || code === 0x7f)
            out += `\\x${code.toString(16).padStart(2, '0')}`;
        else
            out += `\\${ch}`;
    }
    return out;
}
/** Rewrites the remote's history without the secrets; pushes it back only when asked and clean. */
async function cleanseHistory(options) {
    const secrets = checkedSecrets(options.secrets);
    const redact = redactor(secrets);
    const reporter = redactingReporter(options.reporter, redact);
    try {
        return await cleanse(options, secrets, reporter);
    }
    catch (error) {
        throw redactedError(error, redact);
    }
}
async function cleanse(options, secrets, reporter) {
    const remote = remoteLocation(options.remote);
    const env = gitEnvironment(options.gitEnv ?? {});
    const git = (args, more = {}) => execFile('git', args, { env, reporter, ...more });
    const timings = [];
    const timed = async (phase, fn) => {
        const started = external_node_perf_hooks_namespaceObject.performance.now();
        const value = await fn();
        timings.push(`${phase} ${((external_node_perf_hooks_namespaceObject.performance.now() - started) / 1000).toFixed(2)}s`);
        return value;
    };
    const version = await git(['filter-repo', '--version'], { silent: true, okExitCodes: 'any' });
    if (version.exitCode !== 0) {
        const said = version.stderr.trim().split('\n')[0] ?? '';
        throw new UserError(`git-filter-repo is required to cleanse history but was not found (${said}). ${INSTALL_HINT}`);
    }
    reporter.debug(`git-filter-repo ${version.stdout.trim()}`);
    // Absolute, as later commands run inside the mirror.
    const workDir = external_node_path_.resolve(options.workDir);
    const mirror = await freshMirrorTarget(workDir, git);
    await timed('clone', () => git(['clone', '--mirror', '--no-local', '--', remote, mirror], { group: 'Mirror-clone the repository' }));
    const before = await listRefs(git, mirror);
    // The file holds the secrets: private folder, owner-only file, outside the mirror, removed after.
    const scratch = await promises_namespaceObject.mkdtemp(external_node_path_.join(workDir, '.replacements-'));
    try {
        const file = external_node_path_.join(scratch, 'replacements.txt');
        await promises_namespaceObject.writeFile(file, replacementsFile(secrets), { mode: 0o600, flag: 'wx' });
        await timed('rewrite', () => git([
            'filter-repo',
            '--replace-text',
            file,
            '--replace-message',
            file,
            '--force', // the sanity checks are for clones made by hand; this one is fresh
            '--replace-refs',
            'update-no-add', // no refs/replace/* for every rewritten commit
            '--prune-empty',
            'never', // a commit that only swapped one secret for another keeps its message
            '--prune-degenerate',
            'never',
        ], { cwd: mirror, group: 'Rewrite history with git-filter-repo' }));
    }
    finally {
        await promises_namespaceObject.rm(scratch, { recursive: true, force: true });
    }
    const remotes = await git(['remote'], { cwd: mirror, silent: true });
    if (remotes.stdout.split('\n').includes('origin')) {
        await git(['config', '--remove-section', 'remote.origin'], { cwd: mirror, silent: true });
    }
    const after = await listRefs(git, mirror);
    const dropped = [...before.keys()].filter((ref) => !after.has(ref));
    if (dropped.length > 0) {
        throw new Error(`git filter-repo dropped refs from the mirror ${mirror}: ${dropped.join(', ')}. Nothing was pushed.`);
    }
    const rewrittenRefs = [...before]
        .filter(([ref, sha]) => after.get(ref) !== sha)
        .map(([ref, sha]) => ({ ref, before: sha, after: after.get(ref) ?? '' }));
    reporter.info(`Rewrote ${rewrittenRefs.length} of ${before.size} refs in ${mirror}.`);
    const found = await timed('rescan', () => options.rescan(mirror));
    const remaining = new Set(found).size;
    const result = { mirror, rewrittenRefs, remaining, pushed: false, pushedRefs: [] };
    if (remaining > 0) {
        reporter.error(`${remaining} of the secrets are still in the rewritten history at ${mirror}, so nothing was pushed. ` +
            'git-filter-repo leaves binary files (a NUL byte in the first 8 KiB) and file names unchanged: ' +
            'remove such files with `git filter-repo --invert-paths --path <file>`, or pass the exact values found, and run again.');
        reporter.info(`Timings: ${timings.join(', ')}.`);
        return result;
    }
    if (options.push) {
        const branchesAndTags = rewrittenRefs.filter((r) => /^refs\/(heads|tags)\//.test(r.ref));
        const notPushed = rewrittenRefs.filter((r) => !branchesAndTags.includes(r)).map((r) => r.ref);
        if (notPushed.length > 0) {
            reporter.warning(`Rewritten but not pushed (only branches and tags are pushed; GitHub's refs/pull/* cannot be): ${notPushed.join(', ')}.`);
        }
        if (branchesAndTags.length === 0) {
            reporter.info('No branch or tag changed, so there is nothing to push.');
        }
        else {
            result.pushedRefs = await timed('push', () => pushRefs(git, mirror, remote, branchesAndTags));
            result.pushed = true;
            reporter.warning(`Pushed the rewritten history (${result.pushedRefs.length} refs). Rotate every removed secret: ` +
                'it was exposed, and clones, forks, caches and pull request refs still hold the old commits ' +
                '(GitHub Support can purge cached views).');
        }
    }
    else {
        reporter.info(`The rewritten mirror is at ${mirror}; it was not pushed (push is off).`);
    }
    reporter.info(`Timings: ${timings.join(', ')}.`);
    return result;
}
async function freshMirrorTarget(dir, git) {
    await promises_namespaceObject.mkdir(dir, { recursive: true });
    const inside = await git(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], {
        cwd: dir,
        silent: true,
        okExitCodes: 'any',
    });
    const [isInside, top] = inside.stdout.trim().split('\n');
    if (inside.exitCode === 0 && isInside === 'true') {
        throw new UserError(`The work folder ${dir} is inside the git work tree ${top}: use a scratch folder outside any checkout (for example $RUNNER_TEMP).`);
    }
    const target = external_node_path_.join(dir, MIRROR_FOLDER);
    const stat = await promises_namespaceObject.stat(target).catch(() => undefined);
    if (stat && (!stat.isDirectory() || (await promises_namespaceObject.readdir(target)).length > 0)) {
        throw new UserError(`${target} already exists and is not empty: cleansing needs a fresh mirror. Remove it or choose another work folder.`);
    }
    return target;
}
async function listRefs(git, mirror) {
    const { stdout } = await git(['for-each-ref', '--format=%(objectname) %(refname)'], {
        cwd: mirror,
        silent: true,
    });
    const refs = new Map();
    for (const line of stdout.split('\n')) {
        const space = line.indexOf(' ');
        if (space > 0)
            refs.set(line.slice(space + 1), line.slice(0, space));
    }
    return refs;
}
/**
 * Force-pushes exactly these refs by URL, never `--mirror` (which would delete remote refs and push
 * hidden ones). Each ref is leased to the value cloned, so commits pushed meanwhile are not lost,
 * and the push is atomic, so the remote never holds a mix of old and new history.
 */
async function pushRefs(git, mirror, remote, refs) {
    const args = [
        'push',
        '--porcelain',
        '--atomic',
        ...refs.map((r) => `--force-with-lease=${r.ref}:${r.before}`),
        '--',
        remote,
        ...refs.map((r) => `${r.ref}:${r.ref}`),
    ];
    let result;
    try {
        result = await git(args, { cwd: mirror, group: 'Push the rewritten branches and tags' });
    }
    catch (error) {
        if (!(error instanceof ExecError))
            throw error;
        const rejected = porcelain(error.result.stdout)
            .filter((s) => s.flag === '!')
            .map((s) => `${s.ref} ${s.summary}`);
        const stale = rejected.some((r) => r.includes('stale info'));
        const cause = stale
            ? 'The remote changed after the mirror was cloned: run the cleanse again.'
            : 'Likely causes: a branch or tag protection rule that forbids force-pushes, a token without ' +
                '`contents: write` permission, or (for a GitHub App token) no `workflows` permission while ' +
                'the rewritten commits touch .github/workflows.';
        const tail = (error.result.stderr || error.result.stdout).trim().split('\n').slice(-3).join(' | ');
        throw new UserError(`Could not push the rewritten refs to ${remote} (${refs.map((r) => r.ref).join(', ')}); ` +
            `${rejected.length > 0 ? `rejected: ${rejected.join('; ')}. ` : ''}${cause} git said: ${tail}`);
    }
    return porcelain(result.stdout)
        .filter((s) => s.flag !== '=' && s.flag !== '!')
        .map((s) => s.ref);
}
/** `git push --porcelain` status lines: `<flag>\t<from>:<to>\t<summary>`. */
function porcelain(stdout) {
    const statuses = [];
    for (const line of stdout.split('\n')) {
        const match = /^([ +\-*=!])\t[^\t]*:([^\t]+)\t(.*)$/.exec(line);
        if (match)
            statuses.push({ flag: match[1] ?? '', ref: match[2] ?? '', summary: match[3] ?? '' });
    }
    return statuses;
}
/** A local path becomes absolute (the push runs inside the mirror); URLs must carry no credential. */
function remoteLocation(remote) {
    const value = remote.trim();
    if (value === '')
        throw new UserError('The remote to cleanse is empty: give a repository URL or path.');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        const url = URL.canParse(value) ? new URL(value) : undefined;
        if (url && (url.password || (/^https?:$/.test(url.protocol) && url.username))) {
            throw new UserError(`The remote URL for ${url.host} carries a credential: remove it and pass authentication through ` +
                'gitEnv (an http.extraheader), so it never reaches a command line or a log.');
        }
        return value;
    }
    if (/^[^/]+:/.test(value))
        return value; // scp-like: user@host:path
    return external_node_path_.resolve(value);
}
function gitEnvironment(extra) {
    const misplaced = Object.keys(extra).filter((k) => REPOSITORY_ENV.includes(k));
    if (misplaced.length > 0) {
        throw new UserError(`gitEnv must not set ${misplaced.join(', ')}: the cleanse works only in its own mirror.`);
    }
    const env = { ...process.env };
    for (const name of REPOSITORY_ENV)
        delete env[name];
    return { ...env, ...extra, GIT_TERMINAL_PROMPT: '0' };
}
/**
 * Tools print line by line, so besides each whole secret every line of a multi-line secret is
 * masked (lines too short to identify anything are left alone).
 */
function redactor(secrets) {
    const pieces = new Set(secrets);
    for (const s of secrets) {
        for (const line of s.split(/\r?\n/))
            if (line !== s && line.trim().length >= 8)
                pieces.add(line);
    }
    const ordered = [...pieces].sort((a, b) => b.length - a.length);
    return (text) => ordered.reduce((out, piece) => out.split(piece).join(cleanse_REDACTED), text);
}
function redactingReporter(inner, redact) {
    return {
        info: (m) => inner.info(redact(m)),
        warning: (m) => inner.warning(redact(m)),
        error: (m) => inner.error(redact(m)),
        debug: (m) => inner.debug(redact(m)),
        group: (name, fn) => inner.group(redact(name), fn),
        annotate: (a) => inner.annotate({ ...a, message: redact(a.message), ...(a.title ? { title: redact(a.title) } : {}) }),
    };
}
function redactedError(error, redact) {
    if (!(error instanceof Error))
        return error;
    const message = redact(error.message);
    if (message === error.message)
        return error;
    const clean = isUserError(error) ? new UserError(message) : new Error(message);
    clean.stack = `${clean.name}: ${message}`;
    return clean;
}

// EXTERNAL MODULE: ./src/secrets-scan/engine.ts + 2 modules
var engine = __nccwpck_require__(2347);
;// CONCATENATED MODULE: ./src/secrets-scan/diff.ts
/** Our commit header: `--format=` + COMMIT_FORMAT makes git print one per commit. */
const COMMIT_FORMAT = '%x01%H%x1f%an%x1f%ae%x1f%aI';
const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
/** Undoes git's C-style quoting of unusual paths: `"b/caf\303\251 \"x\".txt"`. */
function unquotePath(raw) {
    if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2)
        return raw;
    const bytes = [];
    const body = raw.slice(1, -1);
    const simple = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch !== '\\') {
            bytes.push(...Buffer.from(ch, 'utf8'));
            continue;
        }
        const next = body[i + 1] ?? '';
        if (/[0-7]/.test(next)) {
            bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
            i += 3;
        }
        else {
            bytes.push(simple[next] ?? next.charCodeAt(0));
            i += 1;
        }
    }
    return Buffer.from(bytes).toString('utf8');
}
class DiffReader {
    options;
    pending = [];
    commit;
    path;
    lines = [];
    numbers = [];
    bytes = 0;
    truncated = false;
    /** Lines left in the current hunk, old and new side. */
    oldLeft = 0;
    newLeft = 0;
    newLine = 0;
    constructor(options) {
        this.options = options;
    }
    push(chunk) {
        let start = 0;
        for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
            if (this.pending.length > 0) {
                this.pending.push(chunk.subarray(start, nl));
                this.line(Buffer.concat(this.pending).toString('utf8'));
                this.pending = [];
            }
            else {
                this.line(chunk.toString('utf8', start, nl));
            }
            start = nl + 1;
        }
        if (start < chunk.length)
            this.pending.push(chunk.subarray(start));
    }
    end() {
        if (this.pending.length > 0)
            this.line(Buffer.concat(this.pending).toString('utf8'));
        this.pending = [];
        this.flush();
    }
    line(line) {
        if (this.oldLeft > 0 || this.newLeft > 0) {
            const kind = line.charCodeAt(0);
            if (kind === 43 /* + */) {
                this.add(line.slice(1));
                this.newLeft--;
                return;
            }
            if (kind === 45 /* - */) {
                this.oldLeft--;
                return;
            }
            if (kind === 32 /* context */) {
                this.oldLeft--;
                this.newLeft--;
                this.newLine++;
                return;
            }
            if (kind === 92 /* \ No newline at end of file */)
                return;
            // Anything else means the counts were off (a truncated stream): fall back to headers.
            this.oldLeft = this.newLeft = 0;
        }
        if (line.charCodeAt(0) === 1) {
            this.flush();
            const [sha = '', author = '', email = '', date = ''] = line.slice(1).split('\x1f');
            this.commit = { sha, author, email, date };
            this.path = undefined;
            this.options.onCommit?.(this.commit);
            return;
        }
        if (line.startsWith('diff --git ') ||
            line.startsWith('diff --cc ') ||
            line.startsWith('diff --combined ')) {
            this.flush();
            this.path = undefined;
            return;
        }
        if (line.startsWith('+++ ')) {
            const target = unquotePath(line.slice(4).replace(/\t$/, ''));
            this.path = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
            return;
        }
        if (line.startsWith('\\'))
            return;
        if (line.startsWith('@@')) {
            const m = HUNK.exec(line);
            if (!m)
                return;
            this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
            this.newLine = Number(m[2]);
            this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
        }
    }
    add(text) {
        if (this.path === undefined)
            return;
        const lineNo = this.newLine++;
        if (this.truncated)
            return;
        if (this.bytes + text.length + 1 > this.options.maxFileBytes) {
            this.truncated = true;
            return;
        }
        this.bytes += text.length + 1;
        this.lines.push(text);
        this.numbers.push(lineNo);
    }
    flush() {
        if (this.path !== undefined && (this.lines.length > 0 || this.truncated)) {
            const added = {
                path: this.path,
                text: this.lines.join('\n'),
                lines: this.numbers,
                truncated: this.truncated,
            };
            if (this.commit)
                added.commit = this.commit;
            this.options.onFile(added);
        }
        this.lines = [];
        this.numbers = [];
        this.bytes = 0;
        this.truncated = false;
        this.oldLeft = this.newLeft = 0;
    }
}

// EXTERNAL MODULE: ./src/secrets-scan/file-scan.ts + 1 modules
var file_scan = __nccwpck_require__(399);
// EXTERNAL MODULE: ./src/secrets-scan/ruleset.ts
var ruleset = __nccwpck_require__(1119);
// EXTERNAL MODULE: ./src/secrets-scan/workers.ts + 2 modules
var workers = __nccwpck_require__(1376);
;// CONCATENATED MODULE: ./src/secrets-scan/scan.ts
/**
 * A tree scan: list the files, skip what cannot hold a readable secret (binary files, files over
 * the size limit), read the rest a few at a time and run the engine over each. A file that cannot
 * be read is reported and the scan goes on.
 */







const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** A file's scan stops after this long: one pathological file cannot stall a scan. */
const DEFAULT_FILE_BUDGET_MS = 10_000;
const READ_CONCURRENCY = 16;
/** Below this many files a scan stays in the main thread: starting workers costs more than it saves. */
const WORKER_MIN_FILES = 200;
function emptyStats(source) {
    return {
        filesScanned: 0,
        bytesScanned: 0,
        skippedBinary: 0,
        skippedTooLarge: 0,
        skippedExcluded: 0,
        unreadable: 0,
        allowlisted: 0,
        overBudget: 0,
        commitsScanned: 0,
        durationMs: 0,
        source,
    };
}
async function scanTree(options) {
    const started = Date.now();
    const { rules, set } = options.setup ?? (0,ruleset/* ruleSetup */.Y)();
    const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const { reporter } = options;
    const stats = emptyStats('walk');
    const counts = { allowlisted: 0, overBudget: 0 };
    let root;
    try {
        root = await promises_namespaceObject.realpath(options.root);
    }
    catch {
        throw new UserError(`Could not scan ${options.root}: no such file or folder.`);
    }
    let files;
    let base;
    const exclude = options.exclude ?? [];
    const outside = options.baseOutsideGit ? await promises_namespaceObject.realpath(options.baseOutsideGit) : undefined;
    if ((await promises_namespaceObject.stat(root)).isFile()) {
        base = (await baseForFile(root, reporter)) ?? outside ?? external_node_path_.dirname(root);
        files = excludeMatcher(exclude)(relativePosix(base, root)) ? [] : [root];
        stats.skippedExcluded = 1 - files.length;
        stats.source = 'file';
    }
    else {
        const listing = await listFiles({ root, exclude, reporter, baseOutsideGit: outside });
        files = listing.files;
        base = listing.base;
        stats.source = listing.source;
        stats.skippedExcluded = listing.excluded;
        for (const glob of listing.unusedExcludes) {
            reporter.warning(`The exclude glob ${JSON.stringify(glob)} matched nothing under ${JSON.stringify(relativePosix(base, root) || '.')}.`);
        }
    }
    reporter.debug(`secrets-scan: ${files.length} files listed by ${stats.source}`);
    const findings = new Array(files.length);
    const budgetMs = options.budgetMs ?? DEFAULT_FILE_BUDGET_MS;
    // Workers pay off once there is enough to read; a pre-commit-sized scan stays in this thread.
    const pool = files.length >= WORKER_MIN_FILES ? workers/* ScanPool */.k.create(options.config) : undefined;
    reporter.debug(`secrets-scan: ${pool ? `${pool.size} worker threads` : 'scanning in the main thread'}`);
    const record = (i, rel, outcome) => {
        switch (outcome.kind) {
            case 'scanned':
                stats.filesScanned++;
                stats.bytesScanned += outcome.bytes;
                counts.allowlisted += outcome.allowlisted;
                findings[i] = outcome.findings;
                if (outcome.overBudget) {
                    counts.overBudget++;
                    reporter.warning(`Scanning ${rel} took longer than ${budgetMs} ms; the rest of it was not scanned. Exclude it if it is generated.`);
                }
                break;
            case 'binary':
                stats.skippedBinary++;
                break;
            case 'too-large':
                stats.skippedTooLarge++;
                reporter.debug(`skipped ${rel}: ${outcome.size} bytes is over the ${maxBytes}-byte limit`);
                break;
            case 'unreadable':
                stats.unreadable++;
                reporter.warning(`Could not read ${rel}: ${outcome.message}; skipped it and went on.`);
                break;
            case 'skipped':
                break;
        }
    };
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const i = next++;
            const file = files[i];
            const rel = relativePosix(base, file);
            const job = { file, rel, maxBytes, budgetMs };
            record(i, rel, pool ? await pool.scan(job) : await (0,file_scan/* scanFile */.WN)(job, set));
        }
    };
    try {
        await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
    }
    finally {
        await pool?.close();
    }
    stats.allowlisted = counts.allowlisted;
    stats.overBudget = counts.overBudget;
    stats.durationMs = Date.now() - started;
    if (stats.filesScanned === 0) {
        reporter.warning(`No file was scanned under ${JSON.stringify(relativePosix(base, root) || '.')}: ${files.length === 0 ? 'it is empty, or git ignores everything in it, or the exclude globs cover it' : 'every file was binary or over the size limit'}.`);
    }
    return { base, findings: findings.flat(), stats, rules };
}

;// CONCATENATED MODULE: ./src/secrets-scan/history.ts
/**
 * History and staged scans: git streams the changes (`git log -p` over the commits, or
 * `git diff --cached` for the index), and only the lines each change added are scanned, so a secret
 * added and later deleted is still found, in the commit that added it, and a file is never checked
 * out per commit.
 */









/**
 * Diff options that make git's output the same whatever the user's or the repository's config
 * says: no colour, no external diff or textconv program, no signature check output, standard
 * `a/` `b/` prefixes, paths from the top, no context lines.
 */
const DIFF_ARGS = [
    '-p',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--find-renames',
];
/**
 * `log-opts` / `--range` options we pass on to `git log`: revisions and paths, and the options that
 * only choose commits. Anything else (`--output=FILE` would write a file, `--format` or `--stat`
 * would change what we read) is refused.
 */
const LOG_OPTIONS = [
    '--all',
    '--branches',
    '--tags',
    '--remotes',
    '--glob',
    '--exclude',
    '--not',
    '--since',
    '--until',
    '--after',
    '--before',
    '--author',
    '--committer',
    '--max-count',
    '--skip',
    '--first-parent',
    '--no-merges',
    '--merges',
    '--ancestry-path',
    '--full-history',
    '--since-as-filter',
    '--max-age',
    '--min-age',
];
/** Splits and checks `log-opts` (whitespace-separated; no shell quoting). */
function parseLogOpts(text, input = 'log-opts') {
    const args = text.split(/\s+/).filter(Boolean);
    let afterDashDash = false;
    for (const arg of args) {
        if (afterDashDash)
            continue;
        if (arg === '--') {
            afterDashDash = true;
            continue;
        }
        if (/^-n\d*$/.test(arg))
            continue;
        if (arg.startsWith('-')) {
            const name = arg.split('=')[0];
            if (!LOG_OPTIONS.includes(name)) {
                throw new UserError(`${input}: ${JSON.stringify(arg)} is not an option secrets-scan passes to git log. ` +
                    `Give revisions (main..feature, v1.0..HEAD), paths after --, or commit-limiting options: ${LOG_OPTIONS.join(', ')}, -n.`);
            }
        }
    }
    return args;
}
async function git(cwd, args) {
    return execFile('git', [...GIT_READ, ...args], { cwd, silent: true, okExitCodes: 'any' });
}
/** The repository holding `dir` (a work tree's top level, or a bare repository's folder). */
async function repositoryOf(dir, what) {
    const result = await git(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']);
    if (result.exitCode !== 0) {
        throw new UserError(`${what} needs a git repository, and ${dir} is not in one (${result.stderr.trim().split('\n')[0]}). ` +
            'Run it inside a clone, or scan the files with --mode tree.');
    }
    const [isBare, gitDir] = result.stdout.trim().split('\n');
    if (isBare === 'true')
        return { root: external_node_fs_.realpathSync(gitDir), bare: true };
    const top = await git(dir, ['rev-parse', '--show-toplevel']);
    if (top.exitCode !== 0 || !top.stdout.trim()) {
        throw new UserError(`${what}: git found no work tree at ${dir} (${top.stderr.trim().split('\n')[0]}).`);
    }
    return { root: external_node_fs_.realpathSync(top.stdout.trim()), bare: false };
}
/** Streams `git <args>` through a DiffReader, scanning each file's added lines as it ends. */
async function scanDiffStream(root, args, options, stats) {
    const findings = [];
    const counts = { allowlisted: 0, overBudget: 0 };
    const excluded = options.exclude?.length ? excludeMatcher(options.exclude) : undefined;
    const reader = new DiffReader({
        maxFileBytes: options.maxFileBytes,
        onCommit: () => stats.commitsScanned++,
        onFile: (added) => {
            if (excluded?.(added.path)) {
                stats.skippedExcluded++;
                return;
            }
            stats.filesScanned++;
            stats.bytesScanned += added.text.length;
            if (added.truncated) {
                stats.skippedTooLarge++;
                options.reporter.debug(`${added.path}${added.commit ? ` in ${added.commit.sha.slice(0, 12)}` : ''}: only the first ${options.maxFileBytes} bytes of added text were scanned`);
            }
            const found = (0,engine/* scanContent */.nx)(added.text, added.path, options.setup.set, {
                commit: added.commit,
                lineMap: added.lines,
                budgetMs: options.budgetMs,
                counts,
            });
            for (const f of found)
                findings.push(f);
        },
    });
    const child = (0,external_node_child_process_.spawn)('git', [...GIT_READ, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
        if (stderr.length < 64 * 1024)
            stderr += chunk;
    });
    const closed = new Promise((resolve, reject) => {
        child.on('error', (error) => reject(error.code === 'ENOENT'
            ? new UserError('Could not run git: it was not found on PATH. Install git to scan history.')
            : error));
        child.on('close', (code) => resolve(code ?? -1));
    });
    for await (const chunk of child.stdout)
        reader.push(chunk);
    reader.end();
    const exitCode = await closed;
    stats.allowlisted += counts.allowlisted;
    stats.overBudget += counts.overBudget;
    return { findings, exitCode, stderr };
}
async function scanHistory(options) {
    const started = Date.now();
    const { root, bare } = await repositoryOf(options.repo, 'A history scan');
    const stats = emptyStats('history');
    const logArgs = options.logArgs?.length ? [...options.logArgs] : ['--all'];
    const description = options.description ?? `git log ${logArgs.join(' ')}`;
    if (!bare && (await git(root, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true') {
        options.reporter.warning(`${root} is a shallow clone: commits before its shallow boundary are not scanned. Fetch the whole history (actions/checkout with fetch-depth: 0) to scan them.`);
    }
    // Revisions go before `--`: a bare `main..feature` with no such ref would otherwise be taken for a path.
    const dashDash = logArgs.indexOf('--');
    const revisions = dashDash === -1 ? logArgs : logArgs.slice(0, dashDash);
    const paths = dashDash === -1 ? [] : logArgs.slice(dashDash);
    const args = [
        '-c',
        'log.showSignature=false',
        'log',
        ...DIFF_ARGS,
        `--format=${COMMIT_FORMAT}`,
        ...revisions,
        ...(paths.length ? paths : ['--']),
    ];
    const { findings, exitCode, stderr } = await scanDiffStream(root, args, options, stats);
    if (exitCode !== 0) {
        const first = stderr.trim().split('\n')[0] ?? '';
        const hint = /ambiguous argument|unknown revision|bad revision/.test(stderr)
            ? ' A revision in the range is not in this clone: fetch it (actions/checkout with fetch-depth: 0) or fix the range.'
            : '';
        throw new UserError(`git log failed for ${description}: ${first}.${hint}`);
    }
    stats.durationMs = Date.now() - started;
    if (stats.commitsScanned === 0 && options.requireCommits !== false) {
        throw new UserError(`No commit to scan in ${description}: the history scan read nothing, which is not a pass. Check the range, or fetch the commits (actions/checkout with fetch-depth: 0).`);
    }
    options.reporter.debug(`secrets-scan: ${text_plural(stats.commitsScanned, 'commit')} read from git log`);
    return { base: root, findings, stats, rules: options.setup.rules };
}
/** What is staged in the index (the pre-commit hook): added lines of added, copied, modified and renamed files. */
async function scanStaged(options) {
    const started = Date.now();
    const { root, bare } = await repositoryOf(options.repo, 'A staged scan');
    if (bare)
        throw new UserError(`A staged scan needs a work tree, and ${root} is a bare repository.`);
    const stats = emptyStats('staged');
    const args = ['diff', '--cached', ...DIFF_ARGS, '--diff-filter=d', '--'];
    const { findings, exitCode, stderr } = await scanDiffStream(root, args, options, stats);
    if (exitCode !== 0)
        throw new UserError(`git diff --cached failed: ${stderr.trim().split('\n')[0]}`);
    stats.durationMs = Date.now() - started;
    return { base: root, findings, stats, rules: options.setup.rules };
}

;// CONCATENATED MODULE: ./src/secrets-scan/cleanse-findings.ts
/**
 * Cleansing after a scan: the secrets of the findings that fail the scan are purged from every
 * ref of a mirror clone of the repository's remote, the rewritten history is scanned again with
 * the same rules to prove nothing is left, and the refs are pushed back only when asked. The
 * checkout the scan ran in is never touched.
 */










/** The values to purge: each failing finding's secret once, never a path-only rule's "secret" (a path). */
function secretsToPurge(findings, setup) {
    const pathOnly = new Set(setup.rules.filter((r) => r.pathOnly).map((r) => r.id));
    return [...new Set(findings.filter((f) => !f.suppression && !pathOnly.has(f.ruleId)).map((f) => f.secret))];
}
/**
 * The checkout's credentials for its remote, as actions/checkout stores them (an
 * `http.<url>.extraheader`), handed to git through GIT_CONFIG_* variables so they never appear in
 * a command line.
 */
async function credentialEnv(repo) {
    const result = await execFile('git', [...GIT_READ, 'config', '--get-regexp', '^http\\..*\\.extraheader$'], {
        cwd: repo,
        silent: true,
        okExitCodes: 'any',
    });
    const env = {};
    let n = 0;
    for (const line of result.stdout.split('\n')) {
        const space = line.indexOf(' ');
        if (space <= 0)
            continue;
        env[`GIT_CONFIG_KEY_${n}`] = line.slice(0, space);
        env[`GIT_CONFIG_VALUE_${n}`] = line.slice(space + 1);
        n++;
    }
    if (n > 0)
        env.GIT_CONFIG_COUNT = String(n);
    return env;
}
async function cleanseFindings(request) {
    const { reporter } = request;
    const secrets = secretsToPurge(request.findings, request.setup);
    if (secrets.length === 0) {
        reporter.info('Nothing to cleanse: no failing finding.');
        return undefined;
    }
    const remote = await execFile('git', [...GIT_READ, 'remote', 'get-url', 'origin'], {
        cwd: request.repo,
        silent: true,
        okExitCodes: 'any',
    });
    if (remote.exitCode !== 0 || !remote.stdout.trim()) {
        throw new UserError(`Cleansing needs the repository's remote, and ${request.repo} has no 'origin' remote. Run it in a clone of the repository to cleanse.`);
    }
    const workDir = external_node_fs_.mkdtempSync(external_node_path_.join(request.tempDir ?? external_node_os_.tmpdir(), 'imagepipe-cleanse-'));
    return reporter.group(`Cleanse ${text_plural(secrets.length, 'secret')} from the history`, async () => cleanseHistory({
        remote: remote.stdout.trim(),
        secrets,
        workDir,
        push: request.push,
        gitEnv: await credentialEnv(request.repo),
        reporter,
        rescan: async (mirror) => {
            const rescanned = await scanHistory({
                repo: mirror,
                setup: request.setup,
                maxFileBytes: DEFAULT_MAX_FILE_BYTES,
                reporter,
                requireCommits: false,
            });
            const wanted = new Set(secrets);
            return [...new Set(rescanned.findings.filter((f) => wanted.has(f.secret)).map((f) => f.secret))];
        },
    }));
}
/** The summary's account of a cleanse: what was rewritten, whether it was pushed, and what is still to do. */
function cleanseSummary(result, summary) {
    summary.heading('History cleanse', 3);
    if (result.remaining > 0) {
        summary.paragraph(`The rewritten history still holds ${plural(result.remaining, 'secret')}, so nothing was pushed. The mirror is at ${result.mirror}.`);
    }
    else {
        summary.paragraph(`Each secret became ${REDACTED} in ${plural(result.rewrittenRefs.length, 'rewritten ref')}; a scan of the rewritten history found none of them. ` +
            (result.pushed
                ? `Pushed ${plural(result.pushedRefs.length, 'ref')} (force, with lease). Everyone must re-clone or reset to the new history.`
                : `Not pushed (cleanse-push is off): the rewritten mirror is at ${result.mirror}; push it with git push --force-with-lease after review.`));
    }
    if (result.rewrittenRefs.length > 0) {
        summary.table(['Ref', 'Before', 'After'], result.rewrittenRefs.map((r) => [
            { code: r.ref },
            { code: r.before.slice(0, 12) },
            { code: r.after.slice(0, 12) },
        ]));
    }
    summary.paragraph('The secrets must still be revoked and rotated: rewriting history does not unpublish them from clones, forks, caches or pull request refs.');
    return summary;
}
/** The same account for a terminal. */
function cleanseText(result) {
    const lines = [
        result.remaining > 0
            ? `The rewritten history still holds ${text_plural(result.remaining, 'secret')}: nothing was pushed. Mirror: ${result.mirror}`
            : `History cleansed: ${text_plural(result.rewrittenRefs.length, 'ref')} rewritten, each secret replaced by ${cleanse_REDACTED}; a rescan found none. ` +
                (result.pushed
                    ? `Pushed ${text_plural(result.pushedRefs.length, 'ref')}.`
                    : `Not pushed: review the mirror at ${result.mirror}, then push with --cleanse-push or git push --force-with-lease.`),
        ...result.rewrittenRefs.map((r) => `  ${r.ref} ${r.before.slice(0, 12)} -> ${r.after.slice(0, 12)}`),
        'Revoke and rotate the secrets all the same: clones, forks and caches still have them.',
    ];
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/core/sarif.ts
/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: repo-relative `/`-separated URIs, `startLine`
 * ≥ 1, stable `partialFingerprints`, and rules that carry `security-severity` so alerts get a
 * severity. Every scanner builds its log here; tests validate it against the official schema.
 */


/** GitHub maps security-severity > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, below low. */
const SECURITY_SEVERITY = {
    critical: '9.5',
    high: '8.0',
    medium: '5.5',
    low: '3.0',
};
const SEVERITY_LEVEL = {
    critical: 'error',
    high: 'error',
    medium: 'warning',
    low: 'note',
};
const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** A repo-relative path as a SARIF URI reference: `/`-separated, no `./`, segments escaped. */
function toSarifUri(p) {
    const normalised = external_node_path_.posix
        .normalize(p.replace(/\\/g, '/'))
        .replace(/^(\.\/)+/, '')
        .replace(/^\/+/, '');
    return normalised
        .split('/')
        .map((segment) => encodeURIComponent(segment))
        .join('/');
}
function buildSarif(tool, rules, results) {
    const used = new Set(results.map((r) => r.ruleId));
    const ruleList = rules.filter((r) => used.has(r.id));
    const index = new Map(ruleList.map((r, i) => [r.id, i]));
    return {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: tool.name,
                        version: tool.version,
                        semanticVersion: tool.version,
                        informationUri: tool.informationUri,
                        rules: ruleList.map(renderRule),
                    },
                },
                results: results.map((r) => renderResult(r, index.get(r.ruleId))),
                columnKind: 'utf16CodeUnits',
            },
        ],
    };
}
function renderRule(rule) {
    return {
        id: rule.id,
        name: rule.name,
        shortDescription: { text: rule.shortDescription },
        fullDescription: { text: rule.fullDescription ?? rule.shortDescription },
        ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
        ...(rule.help ? { help: { text: rule.help, markdown: rule.help } } : {}),
        defaultConfiguration: { level: SEVERITY_LEVEL[rule.severity] },
        properties: {
            tags: ['security', ...(rule.tags ?? [])],
            precision: rule.precision ?? 'high',
            problem: {
                severity: rule.severity === 'low' ? 'recommendation' : rule.severity === 'medium' ? 'warning' : 'error',
            },
            'security-severity': SECURITY_SEVERITY[rule.severity],
        },
    };
}
function renderResult(result, ruleIndex) {
    const region = { startLine: Math.max(1, result.startLine) };
    if (result.startColumn !== undefined)
        region.startColumn = Math.max(1, result.startColumn);
    if (result.endLine !== undefined)
        region.endLine = Math.max(region.startLine, result.endLine);
    if (result.endColumn !== undefined)
        region.endColumn = Math.max(1, result.endColumn);
    return {
        ruleId: result.ruleId,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: SEVERITY_LEVEL[result.severity],
        message: { text: result.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: toSarifUri(result.path) }, region } }],
        partialFingerprints: { 'imagepipe/v1': result.fingerprint },
        ...(result.suppression
            ? {
                suppressions: [
                    {
                        kind: result.suppression.kind,
                        status: 'accepted',
                        justification: result.suppression.justification,
                    },
                ],
            }
            : {}),
        ...(result.properties ? { properties: result.properties } : {}),
    };
}
/** Writes JSON with a trailing newline, creating the parent folder. */
function writeJsonFile(file, value) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

;// CONCATENATED MODULE: ./src/core/summary.ts
/**
 * The job summary, built as escaped HTML (GitHub renders it inside Markdown). The builder is pure,
 * so the CLI and tests can render it; `writeSummary` appends it to the step summary file and
 * never fails the job: a summary that cannot be written is a warning, not a failed step.
 */

/** GitHub refuses step summaries over 1 MiB; stay well under it. */
const SUMMARY_LIMIT_BYTES = (/* unused pure expression or super */ null && (512 * 1024));
const CELL_LIMIT = 300;
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;')
        .replace(/\|/g, '&#124;')
        .replace(/\r?\n/g, '<br>');
}
function truncate(text, limit) {
    return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
function renderCell(cell, tag) {
    if (typeof cell === 'object')
        return `<${tag}><code>${escapeHtml(truncate(cell.code, CELL_LIMIT))}</code></${tag}>`;
    return `<${tag}>${escapeHtml(truncate(String(cell), CELL_LIMIT))}</${tag}>`;
}
class summary_Summary {
    parts = [];
    heading(text, level = 2) {
        this.parts.push(`<h${level}>${escapeHtml(text)}</h${level}>`);
        return this;
    }
    paragraph(text) {
        this.parts.push(`<p>${escapeHtml(text)}</p>`);
        return this;
    }
    list(items) {
        this.parts.push(`<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
        return this;
    }
    /**
     * A table, escaped cell by cell. Beyond `maxRows` the rest is counted, not shown, so a scan
     * with a million findings still produces a summary GitHub accepts.
     */
    table(header, rows, maxRows = 200) {
        const shown = rows.slice(0, maxRows);
        const head = `<tr>${header.map((h) => renderCell(h, 'th')).join('')}</tr>`;
        const body = shown.map((row) => `<tr>${row.map((c) => renderCell(c, 'td')).join('')}</tr>`).join('');
        this.parts.push(`<table>${head}${body}</table>`);
        if (rows.length > shown.length) {
            this.paragraph(`… and ${rows.length - shown.length} more (see the full report).`);
        }
        return this;
    }
    /** Long text folded into a collapsed `<details>` block. */
    details(title, text, limit = 64 * 1024) {
        const body = text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text;
        this.parts.push(`<details><summary>${escapeHtml(title)}</summary>\n\n<pre>${escapeHtml(body).replace(/<br>/g, '\n')}</pre>\n</details>`);
        return this;
    }
    render() {
        let out = `${this.parts.join('\n')}\n`;
        if (Buffer.byteLength(out) > SUMMARY_LIMIT_BYTES) {
            // Keep whole parts only (they are joined by newlines), so no tag is cut in half.
            const kept = [];
            let size = 0;
            for (const part of this.parts) {
                size += Buffer.byteLength(part) + 1;
                if (size > SUMMARY_LIMIT_BYTES / 2)
                    break;
                kept.push(part);
            }
            out = `${[...kept, '<p>… summary truncated: see the report files.</p>'].join('\n')}\n`;
        }
        return out;
    }
}
/**
 * Appends to `$GITHUB_STEP_SUMMARY`. Returns false (and warns) instead of throwing: a summary
 * is a product surface, but never a reason to fail the job.
 */
function writeSummary(summary, warn, env = process.env) {
    const file = env.GITHUB_STEP_SUMMARY;
    if (!file)
        return false;
    try {
        fs.appendFileSync(file, summary.render());
        return true;
    }
    catch (error) {
        warn(`Could not write the job summary to ${file}: ${error instanceof Error ? error.message : String(error)}`);
        return false;
    }
}

;// CONCATENATED MODULE: ./src/secrets-scan/report.ts




const TOOL_NAME = 'imagepipe secrets-scan';
function ruleMap(rules) {
    return new Map(rules.map((r) => [r.id, r]));
}
function titleOf(rules, id) {
    return rules.get(id)?.title ?? id;
}
/** `in commit 0a1b2c3d4e5f (Ada, 2026-01-02)` for a history finding, else empty. */
function commitNote(finding) {
    const c = finding.commit;
    return c ? ` in commit ${c.sha.slice(0, 12)} (${c.author}, ${c.date.slice(0, 10)})` : '';
}
function findingMessage(finding, rules) {
    return `${titleOf(rules, finding.ruleId)} found${commitNote(finding)}: ${finding.redacted}. Revoke it, then remove it from the code and its history.`;
}
/** The findings that fail the scan: neither allowed inline nor in the baseline. */
function unsuppressed(findings) {
    return findings.filter((f) => !f.suppression);
}
/**
 * For each finding, how many findings before it share its fingerprint (the same secret twice in
 * one file, or in several commits): code scanning would merge results with equal fingerprints.
 */
function occurrenceIndex(findings) {
    const seen = new Map();
    return findings.map((f) => {
        const n = seen.get(f.fingerprint) ?? 0;
        seen.set(f.fingerprint, n + 1);
        return n;
    });
}
function commitProperties(f) {
    return f.commit ? { commit: f.commit.sha, author: f.commit.author, date: f.commit.date } : {};
}
function toSarif(result) {
    const rules = ruleMap(result.rules);
    const occurrences = occurrenceIndex(result.findings);
    return buildSarif({ name: TOOL_NAME, version: VERSION, informationUri: HOMEPAGE }, result.rules.map((r) => ({
        id: r.id,
        name: r.title,
        shortDescription: r.title,
        fullDescription: r.description,
        help: r.description,
        severity: r.severity,
        precision: r.precision,
        tags: ['secret'],
    })), result.findings.map((f, i) => ({
        ruleId: f.ruleId,
        severity: rules.get(f.ruleId)?.severity ?? 'high',
        message: findingMessage(f, rules),
        path: f.path,
        startLine: f.line,
        startColumn: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        fingerprint: occurrences[i] > 0 ? `${f.fingerprint}:${occurrences[i]}` : f.fingerprint,
        properties: { redacted: f.redacted, ...commitProperties(f) },
        ...(f.suppression ? { suppression: f.suppression } : {}),
    })));
}
/** The JSON report: findings without their secrets, and the scan's figures. */
function toJson(result) {
    const rules = ruleMap(result.rules);
    return {
        tool: TOOL_NAME,
        version: VERSION,
        ...(result.scope ? { scope: result.scope } : {}),
        findings: result.findings.map((f) => ({
            rule: f.ruleId,
            title: titleOf(rules, f.ruleId),
            severity: rules.get(f.ruleId)?.severity,
            path: f.path,
            line: f.line,
            column: f.column,
            redacted: f.redacted,
            fingerprint: f.fingerprint,
            ...(f.commit ? { commit: f.commit } : {}),
            suppressed: f.suppression ? f.suppression : false,
        })),
        stats: result.stats,
    };
}
function annotationFor(finding, rules) {
    return {
        level: 'error',
        title: `Secret: ${titleOf(rules, finding.ruleId)}`,
        message: findingMessage(finding, rules),
        file: finding.path,
        line: finding.line,
        endLine: finding.endLine,
        // The runner takes a column only for a one-line span.
        ...(finding.endLine === finding.line ? { column: finding.column } : {}),
    };
}
/** One annotation per finding that fails the scan. */
function annotations(result) {
    const rules = ruleMap(result.rules);
    return unsuppressed(result.findings).map((f) => annotationFor(f, rules));
}
function statsLine(result) {
    const s = result.stats;
    const skipped = [
        s.skippedBinary && `${s.skippedBinary} binary`,
        s.skippedTooLarge && `${s.skippedTooLarge} over the size limit`,
        s.skippedExcluded && `${s.skippedExcluded} excluded`,
        s.unreadable && `${s.unreadable} unreadable`,
        s.overBudget && `${s.overBudget} partly, over the time budget`,
    ].filter(Boolean);
    const what = s.source === 'history'
        ? `${text_plural(s.commitsScanned, 'commit')} (${text_plural(s.filesScanned, 'changed file')}, ${(s.bytesScanned / 1024).toFixed(0)} KiB added)`
        : s.source === 'staged'
            ? `${text_plural(s.filesScanned, 'staged file')} (${(s.bytesScanned / 1024).toFixed(0)} KiB added)`
            : `${text_plural(s.filesScanned, 'file')} (${(s.bytesScanned / 1024).toFixed(0)} KiB)`;
    return (`Scanned ${what} in ${s.durationMs} ms` +
        (skipped.length ? `; skipped ${skipped.join(', ')}` : '') +
        (s.allowlisted ? `; ${s.allowlisted} allowlisted by the configuration` : '') +
        '.');
}
/** "2 secrets found (1 suppressed)." */
function countLine(result) {
    const failing = unsuppressed(result.findings).length;
    const suppressed = result.findings.length - failing;
    const head = failing === 0 ? 'No secrets found' : `${text_plural(failing, 'secret')} found`;
    return `${head}${suppressed ? ` (${suppressed} more suppressed inline or by the baseline)` : ''}.`;
}
function summaryOf(result, sarifFile) {
    const rules = ruleMap(result.rules);
    const failing = unsuppressed(result.findings);
    const history = result.findings.some((f) => f.commit);
    const summary = new Summary().heading('Secrets scan');
    summary.paragraph(countLine(result) + (result.scope ? ` Scanned ${result.scope}.` : ''));
    if (result.findings.length > 0) {
        const perRule = new Map();
        for (const f of result.findings) {
            const c = perRule.get(f.ruleId) ?? { failing: 0, suppressed: 0 };
            if (f.suppression)
                c.suppressed++;
            else
                c.failing++;
            perRule.set(f.ruleId, c);
        }
        summary.table(['Rule', 'Found', 'Suppressed'], [...perRule].map(([id, c]) => [titleOf(rules, id), String(c.failing), String(c.suppressed)]));
    }
    if (failing.length > 0) {
        summary.table(history ? ['Rule', 'Location', 'Commit', 'Redacted value'] : ['Rule', 'Location', 'Redacted value'], failing.map((f) => [
            titleOf(rules, f.ruleId),
            { code: `${f.path}:${f.line}` },
            ...(history
                ? [
                    f.commit
                        ? { code: `${f.commit.sha.slice(0, 12)} ${f.commit.author} ${f.commit.date.slice(0, 10)}` }
                        : '',
                ]
                : []),
            { code: f.redacted },
        ]));
    }
    summary.paragraph(statsLine(result) + (sarifFile ? ` SARIF report: ${sarifFile}.` : ''));
    return summary;
}
const ALLOW_HELP = 'To allow a false positive, add an `imagepipe:allow` comment on its line, or accept the current findings into a baseline with `imagepipe secrets-scan --write-baseline .imagepipe/secrets-baseline.json` and pass it with --baseline.';
/** The terminal report: one line per failing finding, then the figures and how to allow a false positive. */
function toText(result) {
    const rules = ruleMap(result.rules);
    const failing = unsuppressed(result.findings);
    const lines = failing.map((f) => `${f.path}:${f.line}:${f.column}: ${f.ruleId}: ${titleOf(rules, f.ruleId)}: ${f.redacted}` +
        (f.commit
            ? ` (commit ${f.commit.sha.slice(0, 12)}, ${f.commit.author}, ${f.commit.date.slice(0, 10)})`
            : ''));
    lines.push(countLine(result), statsLine(result));
    if (failing.length > 0)
        lines.push(ALLOW_HELP);
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/secrets-scan/auto.ts
/**
 * `mode: auto`: what a workflow run should scan. On a pull request, its commits; on a push, the
 * pushed commits (a new branch: what it adds to the default branch; a force push: what is new
 * since the old tip); anything else, the working tree. actions/checkout fetches one commit by
 * default, so the commits a range needs are fetched and the clone deepened until the range's
 * merge base is there, instead of failing with `ambiguous argument`.
 */





const ZERO = /^0+$/;
function readEvent(env) {
    const file = env.GITHUB_EVENT_PATH;
    if (!file)
        return undefined;
    try {
        return JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    }
    catch (error) {
        throw new UserError(`Could not read the workflow event (GITHUB_EVENT_PATH=${file}): ${errorMessage(error)}.`);
    }
}
async function auto_git(root, args, reporter) {
    const result = await execFile('git', [...GIT_READ, ...args], {
        cwd: root,
        silent: true,
        okExitCodes: 'any',
    });
    if (reporter && result.exitCode !== 0)
        reporter.debug(`git ${args.join(' ')}: ${result.stderr.trim()}`);
    return result;
}
const hasCommit = async (root, sha) => (await auto_git(root, ['cat-file', '-e', `${sha}^{commit}`])).exitCode === 0;
const isShallow = async (root) => (await auto_git(root, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
const FETCH = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];
/**
 * Makes `base..head` computable: both commits present and, in a shallow clone, enough history
 * that their merge base is there. Fetches by SHA from origin (GitHub allows it), then deepens
 * both sides, doubling, and unshallows as a last resort. Returns false when a commit cannot be had.
 */
async function ensureRange(root, shas, reporter) {
    const shallow = await isShallow(root);
    for (const sha of shas) {
        if (await hasCommit(root, sha))
            continue;
        reporter.info(`Fetching ${sha.slice(0, 12)} from origin`);
        await auto_git(root, [...FETCH, ...(shallow ? ['--depth=1'] : []), 'origin', sha], reporter);
        if (!(await hasCommit(root, sha)))
            return false;
    }
    if (shas.length < 2 || !(await isShallow(root)))
        return true;
    for (const depth of [32, 128, 512, 2048]) {
        if ((await auto_git(root, ['merge-base', ...shas])).exitCode === 0)
            return true;
        reporter.info(`Deepening the shallow clone by ${depth} commits to find where the range starts`);
        await auto_git(root, [...FETCH, `--deepen=${depth}`, 'origin', ...shas], reporter);
    }
    if ((await auto_git(root, ['merge-base', ...shas])).exitCode === 0)
        return true;
    reporter.info('Fetching the whole history to find where the range starts');
    await auto_git(root, [...FETCH, '--unshallow', 'origin'], reporter);
    return true; // unrelated histories have no merge base: `base..head` is still right on a full clone
}
/** The scan a workflow event calls for. */
async function planAuto(root, env, reporter) {
    const name = env.GITHUB_EVENT_NAME;
    if (name === 'pull_request' || name === 'pull_request_target') {
        const pr = readEvent(env)?.pull_request;
        const base = pr?.base?.sha;
        const head = pr?.head?.sha;
        if (!base || !head)
            throw new UserError(`The ${name} event has no pull_request.base.sha and head.sha to scan.`);
        if (!(await ensureRange(root, [base, head], reporter))) {
            throw new UserError(`Could not fetch the pull request's commits (${base.slice(0, 12)}..${head.slice(0, 12)}) from origin. Check out with actions/checkout (fetch-depth: 0) and keep persist-credentials on.`);
        }
        return {
            mode: 'history',
            logArgs: [`${base}..${head}`],
            description: `the pull request's ${pr.commits !== undefined ? text_plural(pr.commits, 'commit') : 'commits'} (${base.slice(0, 12)}..${head.slice(0, 12)})`,
            allowEmpty: false,
        };
    }
    if (name === 'push') {
        const event = readEvent(env) ?? {};
        const { before = '', after = '' } = event;
        if (event.deleted || ZERO.test(after) || !after) {
            return {
                mode: 'nothing',
                reason: `The push deleted ${event.ref ?? 'a ref'}: there is no commit to scan.`,
            };
        }
        const listed = (event.commits ?? []).map((c) => c.id).filter((id) => Boolean(id));
        const fallback = async (why) => {
            if (listed.length === 0)
                throw new UserError(`${why}, and the push event lists no commits to scan instead.`);
            reporter.warning(`${why}; scanning the ${text_plural(listed.length, 'commit')} the push event lists instead.`);
            await ensureRange(root, listed, reporter);
            return {
                mode: 'history',
                logArgs: ['--no-walk', ...listed],
                description: `the ${text_plural(listed.length, 'pushed commit')}`,
                allowEmpty: false,
            };
        };
        if (event.created || ZERO.test(before) || !before) {
            const branch = event.repository?.default_branch;
            const ref = event.ref ?? '';
            if (!branch || ref === `refs/heads/${branch}`) {
                // The default branch itself was created (a new repository): all of its history is new.
                if (!(await ensureRange(root, [after], reporter)))
                    return fallback(`Could not fetch ${after.slice(0, 12)}`);
                if (await isShallow(root))
                    await auto_git(root, [...FETCH, '--unshallow', 'origin'], reporter);
                return {
                    mode: 'history',
                    logArgs: [after],
                    description: `the new branch ${ref} (all its history)`,
                    allowEmpty: false,
                };
            }
            const fetched = await auto_git(root, [
                ...FETCH,
                ...((await isShallow(root)) ? ['--depth=1'] : []),
                'origin',
                `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
            ], reporter);
            const baseSha = (await auto_git(root, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`])).stdout.trim();
            if (fetched.exitCode !== 0 || !baseSha || !(await ensureRange(root, [baseSha, after], reporter))) {
                return fallback(`Could not fetch the default branch ${branch} to see what the new branch ${ref} adds`);
            }
            return {
                mode: 'history',
                logArgs: [`${baseSha}..${after}`],
                description: `the commits the new branch ${ref} adds to ${branch}`,
                allowEmpty: true,
            };
        }
        if (!(await ensureRange(root, [before, after], reporter))) {
            return fallback(`Could not fetch the commit before the push (${before.slice(0, 12)})${event.forced ? ': a force push may have made it unreachable' : ''}`);
        }
        return {
            mode: 'history',
            logArgs: [`${before}..${after}`],
            description: `the pushed commits (${before.slice(0, 12)}..${after.slice(0, 12)}${event.forced ? ', a force push' : ''})`,
            allowEmpty: false,
        };
    }
    return {
        mode: 'tree',
        reason: name
            ? `a ${name} event has no commit range: scanning the working tree`
            : 'not in a workflow run: scanning the working tree',
    };
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/error.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function getLineColFromPtr(string, ptr) {
    let lines = string.slice(0, ptr).split(/\r?\n/);
    return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
    let lines = string.split(/\r?\n/);
    let codeblock = '';
    let numberLen = (Math.log10(line + 1) | 0) + 1;
    for (let i = line - 1; i <= line + 1; i++) {
        let l = lines[i - 1];
        if (!l)
            continue;
        codeblock += i.toString().padEnd(numberLen, ' ');
        codeblock += ':  ';
        codeblock += l;
        codeblock += '\n';
        if (i === line) {
            codeblock += ' '.repeat(numberLen + column + 2);
            codeblock += '^\n';
        }
    }
    return codeblock;
}
class TomlError extends Error {
    line;
    column;
    codeblock;
    constructor(message, options) {
        const [line, column] = getLineColFromPtr(options.toml, options.ptr);
        const codeblock = makeCodeBlock(options.toml, line, column);
        super(`Invalid TOML document: ${message}\n\n${codeblock}`, options);
        this.line = line;
        this.column = column;
        this.codeblock = codeblock;
    }
    /** @internal */
    static x(message, ctx, ptr) {
        throw new TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/primitive.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function parseString(ctx) {
    let startPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p++);
    let first = c;
    let isLiteral = c === 0x27; /* ' */
    let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
    if (isMultiline) {
        // Trim initial newline
        if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 0xa /* \n */)
            ctx.p++;
        else if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)
            ctx.p += 2;
    }
    // For the record: it is not worth it to use a fast-path for literal strings using `indexOf`.
    // Doing a char-by-char iteration ends up dispatching less instructions, for the same wall-clock runtime.
    let parsed = '';
    let sliceStart = ctx.p;
    // states:
    //   0 - decoding
    //   1 - decoding escape
    //   2 - whitespace escape (no newline encountered yet, must fail on non-whitespace)
    //   3 - whitespace escape (newline encountered, allowed to transition back to normal decode)
    let state = 0;
    for (; ctx.p < ctx.s.length; ctx.p++) {
        c = ctx.s.charCodeAt(ctx.p);
        // Deal with newlines first, since that simplifies control character checking and handling across all states
        if (isMultiline && (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */))) {
            state = state && 3;
        }
        // Control characters are banned in TOML, so we throw an error if we encounter them
        else if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in strings', ctx);
        }
        // The string might terminate while we're parsing through a newline escape.
        // It must have encountered a newline; otherwise, it'll simply fail in another branch.
        else if ((!state || state === 3) && c === first && (!isMultiline || (ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first))) {
            if (isMultiline) {
                // If the string ends with 4-5 quotes, then the first 1-2 are part of the string
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
            }
            // If we're in a newline escape still, then there's nothing to add.
            if (!state) {
                // Avoid a useless concat operation if the string can be used as-is.
                let s = ctx.s.slice(sliceStart, ctx.p);
                parsed = parsed ? parsed + s : s;
            }
            ctx.p += isMultiline ? 3 : 1;
            return parsed;
        }
        // Baseline state; keep moving forward unless an escape sequence starts
        else if (!state) {
            if (!isLiteral && c === 0x5c /* \ */) {
                parsed += ctx.s.slice(sliceStart, (sliceStart = ctx.p));
                state = 1;
            }
        }
        else if (state === 1) {
            if (c === 0x78 /* x */ || c === 0x75 /* u */ || c === 0x55 /* U */) { // Unicode escape
                let errPtr = ctx.p++ - 1;
                let value = 0;
                let len = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 8;
                for (let j = 0; j < len; j++, ctx.p++) {
                    let hex = ctx.s.charCodeAt(ctx.p);
                    let digit = 
                    /* 0-9 */ hex >= 0x30 && hex <= 0x39 ? hex - 0x30 :
                        /* A-F */ hex >= 0x41 && hex <= 0x46 ? hex - 0x41 + 10 :
                            /* a-f */ hex >= 0x61 && hex <= 0x66 ? hex - 0x61 + 10 : -1;
                    if (digit < 0)
                        TomlError.x('invalid non-hex character in unicode escape', ctx);
                    value = (value << 4) | digit;
                }
                // Because JS does bitwise on signed 32bit integers, all 0xfzzzzzzz values are actually seen as negative
                if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
                    TomlError.x('invalid unicode escape', ctx, errPtr);
                }
                parsed += String.fromCodePoint(value);
                sliceStart = ctx.p--;
                state = 0;
            }
            // Newline escape sequence. We only need to care about spaces and tabs; newlines are dealt with earlier
            else if (isMultiline && (c === 0x20 || c === 0x9 /* \t */)) {
                state = 2;
            }
            // Basic escape sequence
            else {
                if (c === 0x62 /* b */)
                    parsed += '\b';
                else if (c === 0x74 /* t */)
                    parsed += '\t';
                else if (c === 0x6e /* n */)
                    parsed += '\n';
                else if (c === 0x66 /* f */)
                    parsed += '\f';
                else if (c === 0x72 /* r */)
                    parsed += '\r';
                else if (c === 0x65 /* e */)
                    parsed += '\x1b';
                else if (c === 0x22 /* " */)
                    parsed += '"';
                else if (c === 0x5c /* \ */)
                    parsed += '\\';
                else
                    TomlError.x('unrecognised escape sequence', ctx);
                sliceStart = ctx.p + 1;
                state = 0;
            }
        }
        // Newline escape continuation: keep moving forward until the first non-whitespace char
        else if (c !== 0x20 && c !== 0x9 /* \t */) {
            if (state === 2)
                TomlError.x('invalid escape: only line-ending whitespace may be escaped', ctx, sliceStart);
            // State cannot be zero, or we'd have branched earlier already.
            // If it's a backslash, immediately transition to the escape state so it can be processed.
            state = !isLiteral && c === 0x5c /* \ */ ? 1 : 0;
            sliceStart = ctx.p;
        }
    }
    TomlError.x('unfinished string', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/date.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
class TomlDate extends Date {
    #hasDate = false;
    #hasTime = false;
    #offset = null;
    constructor(date, fasttype, unsafeDelim) {
        let hasDate = true;
        let hasTime = true;
        let offset = 'Z';
        let c;
        if (typeof date === 'string') {
            if (fasttype)
                prep: {
                    // Date-time
                    if (fasttype < 3) {
                        if (+date.slice(11, 13) > 23) {
                            date = '';
                            break prep;
                        }
                        // Local
                        if (fasttype === 2) {
                            offset = null;
                            date += 'Z';
                        }
                        // Offset; keep track of offset if not Z
                        else if ((c = date.charCodeAt(date.length - 1)) !== 0x5a /* Z */ && c !== 0x7a /* z */) {
                            offset = date.slice(date.length - 6);
                        }
                        if (unsafeDelim)
                            date = date.slice(0, 10) + 'T' + date.slice(11);
                    }
                    // Time
                    else if (fasttype === 4) {
                        date = +date.slice(0, 2) > 23 ? '' : `0000-01-01T${date}Z`;
                    }
                    hasDate = fasttype !== 4;
                    hasTime = fasttype !== 3;
                }
            else {
                let match = date.match(DATE_TIME_RE);
                if (match) {
                    if (!match[1]) {
                        hasDate = false;
                        date = `0000-01-01T${date}`;
                    }
                    hasTime = !!match[2];
                    // Make sure to use T instead of a space. Breaks in case of extreme values otherwise.
                    hasTime && date[10] === ' ' && (date = date.replace(' ', 'T'));
                    // Do not allow rollover hours.
                    if (match[2] && +match[2] > 23) {
                        date = '';
                    }
                    else {
                        offset = match[3] || null;
                        if (!offset && hasTime)
                            date += 'Z';
                    }
                }
                else {
                    date = '';
                }
            }
        }
        super(date);
        if (!isNaN(this.getTime())) {
            this.#hasDate = hasDate;
            this.#hasTime = hasTime;
            this.#offset = offset;
        }
    }
    isDateTime() {
        return this.#hasDate && this.#hasTime;
    }
    isLocal() {
        return !this.#hasDate || !this.#hasTime || !this.#offset;
    }
    isDate() {
        return this.#hasDate && !this.#hasTime;
    }
    isTime() {
        return this.#hasTime && !this.#hasDate;
    }
    isValid() {
        return this.#hasDate || this.#hasTime;
    }
    toISOString() {
        let iso = super.toISOString();
        // Local Date
        if (this.isDate())
            return iso.slice(0, 10);
        // Local Time
        if (this.isTime())
            return iso.slice(11, 23);
        // Local DateTime
        if (this.#offset === null)
            return iso.slice(0, -1);
        // Offset DateTime
        if (this.#offset === 'Z' || this.#offset === 'z')
            return iso;
        // This part is quite annoying: JS strips the original timezone from the ISO string representation
        // Instead of using a "modified" date and "Z", we restore the representation "as authored"
        let offset = (+(this.#offset.slice(1, 3)) * 60) + +(this.#offset.slice(4, 6));
        offset = this.#offset[0] === '-' ? offset : -offset;
        let offsetDate = new Date(this.getTime() - (offset * 60e3));
        return offsetDate.toISOString().slice(0, -1) + this.#offset;
    }
    static wrapAsOffsetDateTime(jsDate, offset = 'Z') {
        let date = new TomlDate(jsDate);
        date.#offset = offset;
        return date;
    }
    static wrapAsLocalDateTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#offset = null;
        return date;
    }
    static wrapAsLocalDate(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasTime = false;
        date.#offset = null;
        return date;
    }
    static wrapAsLocalTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasDate = false;
        date.#offset = null;
        return date;
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/extract.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function isDigit(char, base = 10) {
    return base === 16
        ? (char > 0x2f && char < 0x3a) || (char > 0x40 && char < 0x47) || (char > 0x60 && char < 0x67)
        : (char > 0x2f && char < 0x30 + base);
}
function isEndOfValue(char, delim) {
    // Whitespace -- we're permissive on `\r` for performance; it'll be dealt with later anyway
    return char === 0x20 || char === 0x9 /* \t */ || char === 0xa /* \n */ || char === 0xd /* \r */ ||
        // Structure end or next value delimiter
        (delim && (char === delim || char === 0x2c /* , */)) ||
        // Comment
        char === 0x23; /* # */
}
/** @internal */
function extractValue(ctx, end) {
    let errPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p);
    // Structs
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        ctx.d-- || TomlError.x('document contains excessively nested structures. aborting.', ctx);
        let value = c === 0x5b /* [ */
            ? parseArray(ctx)
            : parseInlineTable(ctx);
        ctx.d++;
        return value;
    }
    // Strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        return parseString(ctx);
    }
    // Booleans
    // We can fast-path because the first character is enough to know the only possible value
    if (c === 0x74 /* t */) { // Only possible valid value is `true`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x72 || ctx.s.charCodeAt(++ctx.p) !== 0x75 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, true;
    }
    if (c === 0x66 /* f */) { // Only possible valid value is `false`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6c || ctx.s.charCodeAt(++ctx.p) !== 0x73 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, false;
    }
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
        return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 0x2c - c, end);
    }
    // Rough heuristic, but `parseDate` falls back to number parsing if it's a false positive.
    // e.g.: `a = 1\n-------------- = 1` would match this heuristic, but gracefully fallback to numbers.
    if (ctx.s.charCodeAt(ctx.p + 4) === 0x2d /* - */ && ctx.s.charCodeAt(ctx.p + 7) === 0x2d /* - */) {
        return parseDate(ctx, c, end);
    }
    // Same logic as above; `parseTime` falls back to number parsing if it's a false positive.
    if (ctx.s.charCodeAt(ctx.p + 2) === 0x3a /* : */) {
        return parseTime(ctx, c, end);
    }
    return parseNumber(ctx, ctx.p, c, 0, end);
}
// State:
// 0: init
// 1: integer
// 2: fractional dot
// 3: fractional
// 4: exponent letter
// 5: exponent
// 6: exponent sign
// 7: exponent with sign
// >9: underscore; see below
//     -> 12: was integer
//     -> 14: was fractional
//     -> 16: was exponent
// states 2-5, 14, 16 are ONLY permitted iif base === 10
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
    let c = startChr;
    let state = 0;
    let hasUnderscores = false;
    // (+/-)inf
    if (c === 0x69 /* i */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x6e || ctx.s.charCodeAt(++ctx.p) !== 0x66)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, (sign || 1) / 0;
    }
    // (+/-)nan
    if (c === 0x6e /* n */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6e)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, NaN;
    }
    // Leading zero
    // Only allowed cases: `0<EOV>`, `0.(...)`, `0e(...)`, `0x(...)`, `0b(...)`, `0o(...)`
    // FWIW, `0e(...)` is a stupid case, but it's not banned per-se so we have to parse it
    if (c === 0x30 /* 0 */) {
        if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
            return ctx.bi === true ? 0n : 0; // note: conveniently deals with `-0`
        if (!sign) {
            if (c === 0x78 /* x */)
                return parseIntegerBaseN(ctx, startPtr, 16, endChr);
            else if (c === 0x62 /* b */)
                return parseIntegerBaseN(ctx, startPtr, 2, endChr);
            else if (c === 0x6f /* o */)
                return parseIntegerBaseN(ctx, startPtr, 8, endChr);
        }
        if (c === 0x2e /* . */)
            state = 2;
        else if (c === 0x65 /* e */ || c === 0x45 /* E */)
            state = 4;
        else
            TomlError.x('illegal leading zero', ctx, startPtr);
    }
    // If the 1st char is not a digit by now, then it's not a valid TOML value at all
    else if (!isDigit(c))
        TomlError.x('invalid value', ctx, startPtr);
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (!state)
            state = 1; // Detects single-digit numbers we can use a fast parse path for
        // The way the states are numbered is not random: underscores are always permitted in odd-numbered states and
        // never permitted in even-numbered ones.
        if (c === 0x5f /* _ */) {
            if (!(state & 1))
                TomlError.x('illegal underscore', ctx);
            state += 11; // 11 is a marker that makes the state even and greater than 9; see the numbering + rationale above
            hasUnderscores = true;
        }
        // Transition to fractional part.
        else if (state === 1 && c === 0x2e /* . */)
            state = 2;
        // Transition to exponent part.
        else if ((state === 1 || state === 3) && (c === 0x65 /* e */ || c === 0x45 /* E */))
            state = 4;
        // + and - are permitted in state 4 only (handled before entering the function for state 0)
        else if (state === 4 && (c === 0x2b /* + */ || c === 0x2d /* - */)) {
            state = 6;
        }
        // All special cases have been handled; only digits are allowed here
        else if (!isDigit(c))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear state flags
        else if (state > 9)
            state -= 11;
        else if (!(state & 1))
            state++;
    }
    // Single-char number; we can fast-path these very easily.
    if (!state) {
        let val = (startChr - 0x30 /* 0 */) * (sign || 1);
        return ctx.bi === true ? BigInt(val) : val;
    }
    // Even-numbered states absolutely require a digit next; not even end of value is permitted
    if (!(state & 1))
        TomlError.x('unfinished numeric value', ctx, startPtr);
    let str = ctx.s.slice(startPtr, ctx.p);
    if (hasUnderscores)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return state > 1
        ? parseFloat(str)
        : extract_parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
    let c, underscore = 1;
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (c === 0x5f /* _ */) {
            if (underscore & 1)
                TomlError.x('illegal underscore', ctx);
            underscore = 3;
        }
        // We only need to check if the number is a valid digit, nothing else is permitted
        else if (!isDigit(c, base))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear underscore flag
        else if (underscore & 1)
            underscore--;
    }
    // Trailing underscore is not allowed
    if (underscore & 1)
        TomlError.x('unfinished numeric value', ctx);
    let str = ctx.s.slice(startPtr + 2, ctx.p);
    if (underscore)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return extract_parseInteger(ctx, str, base, startPtr);
}
function extract_parseInteger(ctx, str, base, startPtr) {
    if (ctx.bi !== true)
        int: {
            let val = parseInt(str, base);
            if (!Number.isSafeInteger(val)) {
                if (ctx.bi)
                    break int;
                TomlError.x('integer value cannot be represented losslessly', ctx, startPtr);
            }
            return val;
        }
    return base === 10 ? BigInt(str) : BigInt((base === 2 ? '0b' : base === 8 ? '0o' : '0x') + str);
}
function parseDate(ctx, c, endChr) {
    let startPtr = ctx.p++, unsafeSeparator;
    if (!isDigit(c) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++))) {
        return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
    }
    ctx.p += 5;
    if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
        TomlError.x('invalid date-time: date part is malformed', ctx, startPtr);
    if (ctx.p >= ctx.s.length || (((c = ctx.s.charCodeAt(ctx.p)) !== 0x20 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 0x54 /* T */ && c !== 0x74 /* t */)) {
        let t = ctx.s.slice(startPtr, ctx.p);
        return readDate(ctx, t, 3, false, startPtr);
    }
    if (ctx.s.charCodeAt(ctx.p += 3) !== 0x3a /* : */)
        TomlError.x('invalid date-time: time part is malformed', ctx, startPtr);
    if (ctx.s.charCodeAt(ctx.p += 3) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    if (c = ctx.s.charCodeAt(ctx.p)) {
        if (c === 0x5a /* Z */ || c === 0x7a /* z */) {
            let t = ctx.s.slice(startPtr, ++ctx.p);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, '[+00:00]');
        }
        if (c === 0x2b /* + */ || c === 0x2d /* - */) {
            // Temporal's ZonedDateTime is weird asf when it comes to dealing with traditional offsets...
            // It's 1.2x faster to allocate a new string to pass to ZDT than use Instant.toZonedDateTimeISO
            let t = ctx.s.slice(startPtr, ctx.p += 6);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, !ctx.ld && ('[' + ctx.s.slice(ctx.p - 6, ctx.p) + ']'));
        }
    }
    let t = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
    let start = ctx.p;
    if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
        return parseNumber(ctx, --ctx.p, c, 0, endChr);
    }
    if (ctx.s.charCodeAt(ctx.p += 4) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    let t = ctx.s.slice(start, ctx.p);
    return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
    if (ctx.ld) {
        let date = new TomlDate(str, type, unsafeDelim);
        if (!date.isValid())
            TomlError.x('invalid date', ctx, errPtr);
        return date;
    }
    try {
        if (temporalSuffix)
            str += temporalSuffix;
        switch (type) {
            case 1: return Temporal.ZonedDateTime.from(str);
            case 2: return Temporal.PlainDateTime.from(str);
            case 3: return Temporal.PlainDate.from(str);
            case 4: return Temporal.PlainTime.from(str);
        }
    }
    catch (e) {
        TomlError.x(e instanceof Error ? e.message : '' + e, ctx, errPtr);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/util.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function skipComment(ctx) {
    for (; ctx.p < ctx.s.length; ctx.p++) {
        let c = ctx.s.charCodeAt(ctx.p);
        if (c === 0xa /* \n */)
            break;
        if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */) {
            ctx.p++;
            break;
        }
        if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in comments', ctx);
        }
    }
}
/** @internal */
function skipVoid(ctx, banNewLines, banComments) {
    let c;
    while (ctx.p < ctx.s.length) {
        while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 0x20 ||
            c === 0x9 /* \t */ ||
            (!banNewLines &&
                (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)))))
            ctx.p++;
        if (banComments || c !== 0x23 /* # */)
            break;
        skipComment(ctx);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/struct.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




/** @internal */
function parseKey(ctx, end = 0x3d /* = */) {
    // States:
    // 0: before first char
    // 1: parsing bare key
    // 2: after key component
    let startPtr;
    let state = 0;
    let parsed = [];
    let sliceStart;
    let c = ctx.s.charCodeAt(startPtr = ctx.p);
    do {
        // End of key
        if (c === end) {
            if (!state)
                TomlError.x('unexpected end of key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            return ctx.p++, parsed;
        }
        // Dotted key separator
        else if (c === 0x2e /* . */) {
            if (!state)
                TomlError.x('illegal empty bare key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            state = 0;
        }
        // Quoted key
        else if (!state && (c === 0x22 /* " */ || c === 0x27 /* ' */)) {
            if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
                TomlError.x('illegal quoted key: multiline strings are not allowed', ctx);
            parsed.push(parseString(ctx));
            state = 2;
            ctx.p--;
        }
        // Whitespace; no-op in state 0 and 2, end of bare key in state 1
        else if (c === 0x20 || c === 0x9 /* \t */) {
            if (state === 1) {
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
                state = 2;
            }
        }
        // If state is post-key, no character is allowed; otherwise ensure it's a bare-key component
        else if (state === 2 || (c < 0x30 && c !== 0x2d /* - */) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61 && c !== 0x5f /* _ */) || c > 0x7a) {
            TomlError.x('illegal character in key', ctx);
        }
        // Illegal character
        else if (!state) {
            state = 1;
            sliceStart = ctx.p;
        }
    } while (c = ctx.s.charCodeAt(++ctx.p));
    TomlError.x('incomplete key-value: cannot find end of key', ctx, startPtr);
}
/** @internal */
function parseInlineTable(ctx) {
    let startPtr = ctx.p++;
    let res = Object.create(null);
    let seen = new Set();
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x7d /* } */) {
            ctx.p++;
            return res;
        }
        let k;
        let t = res;
        let hasOwn = false;
        let errPtr = ctx.p;
        let key = parseKey(ctx);
        for (let i = 0; i < key.length; i++) {
            if (i)
                t = hasOwn ? t[k] : (t[k] = Object.create(null));
            k = key[i];
            if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== 'object' || seen.has(t[k]))) {
                TomlError.x('trying to redefine an already defined value', ctx, errPtr);
            }
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor')) {
                t = ctx.uk !== 1 && TomlError.x('document contains an unsafe property', ctx, errPtr);
                break;
            }
            if (!hasOwn && unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
            }
        }
        if (hasOwn) {
            TomlError.x('trying to redefine an already defined value', ctx, errPtr);
        }
        skipVoid(ctx, true, true);
        let value = extractValue(ctx, 0x7d /* } */);
        if (t && typeof (t[k] = value) === 'object')
            seen.add(value);
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x7d /* } */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished table', ctx, startPtr);
}
/** @internal */
function parseArray(ctx) {
    let startPtr = ctx.p++;
    let res = [];
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x5d /* ] */) {
            ctx.p++;
            return res;
        }
        res.push(extractValue(ctx, 0x5d /* ] */));
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x5d /* ] */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished array', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/parse.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function peekTable(ctx, key, table, meta, type) {
    let t = table;
    let m = meta;
    let k;
    let hasOwn = false;
    let state;
    for (let i = 0; i < key.length; i++) {
        if (i) {
            t = hasOwn ? t[k] : (t[k] = Object.create(null));
            m = (state = m[k]).c;
            if (type === 0 /* Type.DOTTED */ && (state.t === 1 /* Type.EXPLICIT */ || state.t === 2 /* Type.ARRAY */)) {
                return null;
            }
            if (state.t === 2 /* Type.ARRAY */) {
                let l = t.length - 1;
                t = t[l];
                m = m[l].c;
            }
        }
        k = key[i];
        if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 /* Type.DOTTED */ && m[k]?.d) {
            return null;
        }
        if (!hasOwn) {
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor'))
                return false;
            if (unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
                Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
            }
            m[k] = {
                t: i < key.length - 1 && type === 2 /* Type.ARRAY */
                    ? 3 /* Type.ARRAY_DOTTED */ : type,
                d: false,
                i: 0,
                c: Object.create(null),
            };
        }
    }
    state = m[k];
    if (state.t !== type && !(type === 1 /* Type.EXPLICIT */ && state.t === 3 /* Type.ARRAY_DOTTED */)) {
        // Bad key type!
        return null;
    }
    if (type === 2 /* Type.ARRAY */) {
        if (!state.d) {
            state.d = true;
            t[k] = [];
        }
        t[k].push(t = Object.create(null));
        state.c[state.i++] = (state = { t: 1 /* Type.EXPLICIT */, d: false, i: 0, c: Object.create(null) });
    }
    if (state.d) {
        // Redefining a table!
        return null;
    }
    state.d = true;
    if (type === 1 /* Type.EXPLICIT */) {
        t = hasOwn ? t[k] : (t[k] = Object.create(null));
    }
    else if (type === 0 /* Type.DOTTED */ && hasOwn) {
        return null;
    }
    return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
    if (peek === null || ctx.uk === 2)
        TomlError.x(peek === null
            ? 'trying to redefine an already defined table or value'
            : 'document contains an unsafe property', ctx, ptr);
}
function parse(toml, options = {}) {
    let ctx = {
        s: toml,
        p: 0,
        d: options.maxDepth ?? 1000,
        bi: options.integersAsBigInt ?? false,
        ld: options.useLegacyDate ?? true,
        uk: options.unsafeKeyBehaviour === 'throw' ? 2 : options.unsafeKeyBehaviour === 'drop' ? 1 : 0,
    };
    let res = Object.create(null);
    let meta = Object.create(null);
    let tmp;
    let skipping = false;
    let tbl = res;
    let m = meta;
    // BOM is allowed, skip.
    // JS is UTF-16, so we have to check for the UTF-16 BOM instead of the UTF-8 BOM sequence!
    if (toml.charCodeAt(0) === 0xfeff)
        ctx.p++;
    skipVoid(ctx);
    while (ctx.p < toml.length) {
        if (toml.charCodeAt(ctx.p) === 0x5b /* [ */) {
            let isTableArray = toml.charCodeAt(++ctx.p) === 0x5b; /* [ */
            tmp = ctx.p += +isTableArray;
            skipping = false;
            let k = parseKey(ctx, 0x5d /* ] */);
            if (isTableArray) {
                if (toml.charCodeAt(ctx.p) !== 0x5d /* ] */) {
                    TomlError.x('expected end of table array declaration', ctx);
                }
                ctx.p++;
            }
            let p = peekTable(ctx, k, res, meta, isTableArray ? 2 /* Type.ARRAY */ : 1 /* Type.EXPLICIT */);
            if (!p) {
                validateTablePeek(ctx, p, tmp);
                skipping = true;
            }
            else {
                m = p[2];
                tbl = p[1];
            }
        }
        else {
            tmp = ctx.p;
            let k = parseKey(ctx);
            let p = peekTable(ctx, k, tbl, m, 0 /* Type.DOTTED */);
            if (!p && !skipping)
                validateTablePeek(ctx, p, tmp);
            skipVoid(ctx, true, true);
            let v = extractValue(ctx, void 0);
            if (p && !skipping)
                p[1][p[0]] = v;
        }
        skipVoid(ctx, true);
        if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 0xa /* \n */ && (tmp !== 0xd /* \r */ || toml.charCodeAt(ctx.p + 1) !== 0xa /* \n */)) {
            TomlError.x('each key-value declaration must be followed by an end-of-line', ctx);
        }
        skipVoid(ctx);
    }
    return res;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/stringify.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let BARE_KEY = /^[a-z0-9-_]+$/i;
let HAS_WELLFORMED = !!(''.isWellFormed);
function extendedTypeOf(obj) {
    let type = typeof obj;
    if (type === 'object') {
        if (Array.isArray(obj))
            return 'array';
        if (typeof obj.getUTCDate === 'function' && obj instanceof Date)
            return 'date';
        if (globalThis.Temporal) {
            if (obj.until) {
                if (obj instanceof Temporal.ZonedDateTime)
                    return 'temporal/tz+uc';
                if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
                    return 'temporal/uc';
                if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
                    return 'temporal';
                if (obj instanceof Temporal.PlainYearMonth)
                    return 'temporal/x';
            }
            else if ((obj.toPlainDate && obj instanceof Temporal.PlainMonthDay) ||
                (obj.negated && obj instanceof Temporal.Duration)) {
                return 'temporal/x';
            }
        }
    }
    return type;
}
function isArrayOfTables(obj) {
    for (let i = 0; i < obj.length; i++) {
        if (extendedTypeOf(obj[i]) !== 'object')
            return false;
    }
    return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
    return JSON.stringify(s).replaceAll('\x7f', '\\u007f');
}
function formatString(s) {
    return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
    if (BARE_KEY.test(s))
        return s;
    if (HAS_WELLFORMED && !s.isWellFormed())
        throw new RangeError('key contains illegal lone surrogates');
    return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    switch (type) {
        // @ts-expect-error -- intentional fallthrough case
        case 'number':
            if (isNaN(val))
                return 'nan';
            if (val === Infinity)
                return 'inf';
            if (val === -Infinity)
                return '-inf';
            if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
                return val.toFixed(1);
        case 'bigint':
        case 'boolean':
        case 'temporal':
            return val.toString();
        case 'string':
            return formatString(val);
        case 'date':
            if (isNaN(val.getTime()))
                throw new TypeError('cannot serialize invalid date');
            return val.toISOString();
        case 'object':
            return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
        case 'array':
            return stringifyArray(val, depth, numberAsFloat, strictTemporal);
        // @ts-expect-error -- intentional fallthrough case
        case 'temporal/tz+uc':
            if (strictTemporal) {
                let tz = val.timeZoneId;
                let tzc = tz.charCodeAt(0);
                if (
                // Classic offset
                tzc !== 0x2b /* + */ && tzc !== 0x2d /* - */ &&
                    (
                    // Fast pre-check pass; see below for the actually accepted values
                    (tzc !== 0x55 /* U */ && tzc !== 0x47 /* G */ && tzc !== 0x5a /* Z */ && tzc !== 0x45 /* E */) ||
                        (
                        // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
                        tz !== 'UTC' && tz !== 'UCT' && tz !== 'Universal' && tz !== 'Zulu' &&
                            // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
                            !tz.startsWith('GMT') && tz !== 'Greenwich' &&
                            // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
                            !tz.startsWith('Etc/')))) {
                    throw new TypeError('Temporal objects with an IANA timezone are not allowed in Temporal strict mode');
                }
            }
        case 'temporal/uc':
            if (strictTemporal && val.calendarId !== 'iso8601')
                throw new TypeError('Temporal objects with a non-default calendar are not allowed in Temporal strict mode');
            return val.toString({
                calendarName: 'never',
                timeZoneName: 'never',
            });
        case 'temporal/x':
            throw new TypeError('Unsupported ' + val[Symbol.toStringTag]);
    }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
    let keys = Object.keys(obj);
    if (keys.length === 0)
        return '{}';
    let res = '{ ';
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (i)
            res += ', ';
        res += formatKey(k) + ' = ' + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' }';
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
    if (array.length === 0)
        return '[]';
    let res = '[ ';
    for (let i = 0; i < array.length; i++) {
        if (i)
            res += ', ';
        if (array[i] === null || array[i] === void 0) {
            throw new TypeError('arrays cannot contain null or undefined values');
        }
        res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' ]';
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let res = '';
    for (let i = 0; i < array.length; i++) {
        res += `${res && '\n'}[[${key}]]\n`;
        res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
    }
    return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let preamble = '';
    let tables = '';
    let keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (obj[k] !== null && obj[k] !== void 0) {
            let type = extendedTypeOf(obj[k]);
            if (type === 'symbol' || type === 'function') {
                throw new TypeError(`cannot serialize values of type '${type}'`);
            }
            let key = formatKey(k);
            if (type === 'array' && isArrayOfTables(obj[k])) {
                tables += (tables && '\n') + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
            }
            else if (type === 'object') {
                let tblKey = prefix ? `${prefix}.${key}` : key;
                tables += (tables && '\n') + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
            }
            else {
                preamble += key;
                preamble += ' = ';
                preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
                preamble += '\n';
            }
        }
    }
    if (tableKey && (preamble || !tables)) // Create table only if necessary
        preamble = preamble ? `[${tableKey}]\n${preamble}` : `[${tableKey}]`;
    return preamble && tables
        ? `${preamble}\n${tables}`
        : preamble || tables;
}
function stringify(obj, { maxDepth = 1000, numbersAsFloat = false, strictTemporal = false } = {}) {
    if (extendedTypeOf(obj) !== 'object') {
        throw new TypeError('stringify can only be called with an object');
    }
    let str = stringifyTable(0, obj, '', maxDepth, numbersAsFloat, strictTemporal);
    if (str[str.length - 1] !== '\n')
        return str + '\n';
    return str;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/index.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */





/** @deprecated use `import * as ... from 'smol-toml'` instead */
/* harmony default export */ const smol_toml_dist = ({ parse: parse, stringify: stringify, TomlDate: TomlDate, TomlError: TomlError });

;// CONCATENATED MODULE: ./src/secrets-scan/re2.ts
/**
 * Go RE2 regexes (the syntax of gitleaks rules) translated to JavaScript regexes that match what
 * RE2 matches. The pattern is parsed as Go's regexp/syntax parses it (Perl flags: same escapes,
 * the same errors), then written out again in JavaScript syntax:
 *
 * - Flags: JavaScript in Node 20 has no inline modifiers, so `(?i)` and `(?i:…)` are expanded:
 *   every letter in a case-insensitive part becomes the class of its case-folding orbit
 *   (`k` → `[Kk\u212A]`, as RE2 folds Kelvin sign onto k), classes are folded the same way, and a
 *   folded Unicode class gains the case partners of its members (Go's fold tables). No `i` flag.
 *   `(?s)` writes `.` as `[\s\S]`, `(?m)` writes `^`/`$` as line lookarounds, `(?U)` swaps
 *   greediness. RE2's `.` excludes only `\n` and its `\s` is `[\t\n\f\r ]`, so both are written as
 *   explicit classes (JavaScript's exclude more, or include Unicode spaces).
 * - `\A` → `(?<![\s\S])`, `\z` → `(?![\s\S])`: exact whatever flags the caller adds.
 * - `^` and `$` outside `(?m)` are kept as `^` and `$`. gitleaks runs a rule over a whole file
 *   (or a chunk of one) without `(?m)`, so there they mean the start and end of the text; the
 *   secrets engine adds the `m` flag, so there they match at every line start and end. That is a
 *   superset of gitleaks' matches (the start and end of the text are line boundaries too): an
 *   anchored rule can report on more lines than gitleaks would, never fewer. Allowlist regexes run
 *   without `m` and keep RE2's meaning exactly.
 * - `\pL`, `\p{Greek}` and the other Unicode classes need JavaScript's `u` flag, which is set only
 *   for patterns that use them (or a class holding some, not all, characters beyond U+FFFF).
 *   Without it a character beyond U+FFFF is two UTF-16 units to `.` and to negated classes,
 *   where RE2 counts one code point; matches differ only in such counts.
 * - `(?P<name>…)` and `(?<name>…)` become named groups (plain groups when the name is not a
 *   JavaScript identifier or is repeated); group numbers are unchanged.
 *
 * What RE2 rejects is an `Re2SyntaxError` with Go's wording. What JavaScript cannot express is an
 * `Re2TranslationError` naming the reason (a Unicode script this Node.js does not know, a long
 * counted repetition of something that can match nothing).
 * Remaining differences, found by comparing with Go's regexp on random patterns, none in a shape a
 * secret rule uses: JavaScript resets the captures of a repeated group at each iteration where Go
 * keeps the last value set; and a repeated part that can match nothing (`(?:a*?)+`) may stop at a
 * different iteration, as JavaScript backtracks into an empty iteration where Go ends the loop.
 */
class Re2SyntaxError extends Error {
    pattern;
    reason;
    name = 'Re2SyntaxError';
    constructor(pattern, reason) {
        super(`invalid RE2 regex: ${reason}`);
        this.pattern = pattern;
        this.reason = reason;
    }
}
class Re2TranslationError extends Error {
    pattern;
    reason;
    name = 'Re2TranslationError';
    constructor(pattern, reason) {
        super(`cannot translate this RE2 regex to JavaScript: ${reason}`);
        this.pattern = pattern;
        this.reason = reason;
    }
}
/** Translates an RE2 pattern; throws `Re2SyntaxError` or `Re2TranslationError`. */
function translateRe2(pattern) {
    const { source, flags } = compile(pattern, undefined);
    return { source, flags };
}
/**
 * Translates a gitleaks rule's regex and picks its secret as gitleaks does. With `secretGroup` set
 * (> 0) that group is the secret. Without it gitleaks takes the first capture group that matched
 * non-empty text, or the whole match when there is none: that is group 1 when group 1 always
 * matches some text (or is the only group); when the groups are alternatives of one another (at
 * most one takes part in a match) a lookbehind appended to the pattern copies whichever did into
 * one extra group. A match whose chosen group is empty is not reported (gitleaks would report the
 * whole match). Other shapes are an `Re2TranslationError` asking for an explicit `secretGroup`.
 */
function translateRe2Rule(pattern, secretGroup = 0) {
    return compile(pattern, secretGroup);
}
const MAX_CP = 0x10ffff;
/** RE2 matches code points; surrogates never occur in the text it sees. */
const UNIVERSE = [
    [0, 0xd7ff],
    [0xe000, MAX_CP],
];
function normalize(ranges) {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const out = [];
    for (const [lo, hi] of sorted) {
        const last = out[out.length - 1];
        if (last && lo <= last[1] + 1)
            last[1] = Math.max(last[1], hi);
        else
            out.push([lo, hi]);
    }
    return out;
}
function complement(ranges) {
    const out = [];
    let next = 0;
    for (const [lo, hi] of normalize(ranges)) {
        if (lo > next)
            out.push([next, lo - 1]);
        next = Math.max(next, hi + 1);
    }
    if (next <= MAX_CP)
        out.push([next, MAX_CP]);
    return out;
}
function intersect(a, b) {
    const out = [];
    for (const [alo, ahi] of a)
        for (const [blo, bhi] of b) {
            const lo = Math.max(alo, blo);
            const hi = Math.min(ahi, bhi);
            if (lo <= hi)
                out.push([lo, hi]);
        }
    return normalize(out);
}
const sameRanges = (a, b) => a.length === b.length && a.every((r, i) => r[0] === b[i][0] && r[1] === b[i][1]);
const ASTRAL = [[0x10000, MAX_CP]];
/** How a set's characters beyond U+FFFF stand: none, all, or some (which needs the `u` flag). */
function astralPart(ranges) {
    const astral = intersect(ranges, ASTRAL);
    if (astral.length === 0)
        return 'none';
    return sameRanges(astral, ASTRAL) ? 'all' : 'some';
}
// ---------------------------------------------------------------------------------------------
// Case folding as RE2 does it: a letter matches every member of its simple case-folding orbit.
/** ASCII letters whose orbit reaches beyond ASCII: k, K and KELVIN SIGN; s, S and LONG S. */
const ASCII_EXTRA = { 0x4b: 0x212a, 0x6b: 0x212a, 0x53: 0x17f, 0x73: 0x17f };
/** Go's maxFold: no code point above it has a case-folding partner. */
const MAX_FOLD = 0x1e943;
let foldTable;
/**
 * Orbits of every code point that has one, built once on first need: candidate pairs come from
 * the case mappings, and a pair is kept only when JavaScript's `iu` matching (Unicode simple case
 * folding, as RE2's) agrees, so `ı` does not join `I`.
 */
function orbitTable() {
    if (foldTable)
        return foldTable;
    const parent = new Map();
    const find = (x) => {
        let root = x;
        for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root))
            root = up;
        return root;
    };
    for (let cp = 0x41; cp <= MAX_FOLD; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        const ch = String.fromCodePoint(cp);
        for (const mapped of [ch.toLowerCase(), ch.toUpperCase()]) {
            const other = mapped.codePointAt(0);
            if (mapped === ch || String.fromCodePoint(other) !== mapped)
                continue;
            if (!new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu').test(mapped))
                continue;
            const a = find(cp);
            const b = find(other);
            if (a !== b)
                parent.set(a, b);
            if (!parent.has(b))
                parent.set(b, b);
        }
    }
    const members = new Map();
    for (const cp of parent.keys()) {
        const root = find(cp);
        members.set(root, [...(members.get(root) ?? []), cp]);
    }
    const orbits = new Map();
    for (const orbit of members.values()) {
        if (orbit.length < 2)
            continue;
        orbit.sort((a, b) => a - b);
        for (const cp of orbit)
            orbits.set(cp, orbit);
    }
    foldTable = { keys: [...orbits.keys()].sort((a, b) => a - b), orbits };
    return foldTable;
}
function orbitOf(cp) {
    if (cp < 0x80) {
        const lower = cp | 0x20;
        if (lower < 0x61 || lower > 0x7a)
            return [cp];
        const extra = ASCII_EXTRA[cp];
        return extra === undefined ? [lower & ~0x20, lower] : [lower & ~0x20, lower, extra];
    }
    return orbitTable().orbits.get(cp) ?? [cp];
}
/** The set plus every case-folding partner of its members (Go's appendFoldedRange). */
function foldRanges(ranges) {
    const out = [...ranges];
    for (const [lo, hi] of ranges) {
        if (lo <= 0x41 && hi >= MAX_FOLD)
            continue;
        for (let c = Math.max(lo, 0x41); c <= Math.min(hi, 0x7a); c++)
            for (const o of orbitOf(c))
                out.push([o, o]);
        if (hi < 0x80)
            continue;
        const { keys, orbits } = orbitTable();
        let i = lowerBound(keys, Math.max(lo, 0x80));
        for (; i < keys.length && keys[i] <= hi; i++)
            for (const o of orbits.get(keys[i]))
                out.push([o, o]);
    }
    return normalize(out);
}
function lowerBound(sorted, value) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
// ---------------------------------------------------------------------------------------------
// Go's character groups.
/** Ranges from strings: `'a-z'` is a range, `'_'` one character. */
const spans = (...specs) => specs.map((spec) => [spec.codePointAt(0), spec.codePointAt(spec.length - 1)]);
const PERL = {
    d: spans('0-9'),
    s: spans('\t-\n', '\f-\r', ' '),
    w: spans('0-9', 'A-Z', '_', 'a-z'),
};
const POSIX = {
    alnum: spans('0-9', 'A-Z', 'a-z'),
    alpha: spans('A-Z', 'a-z'),
    ascii: spans('\x00-\x7f'),
    blank: spans('\t', ' '),
    cntrl: spans('\x00-\x1f', '\x7f'),
    digit: spans('0-9'),
    graph: spans('!-~'),
    lower: spans('a-z'),
    print: spans(' -~'),
    punct: spans('!-/', ':-@', '[-`', '{-~'),
    space: spans('\t-\r', ' '),
    upper: spans('A-Z'),
    word: spans('0-9', 'A-Z', '_', 'a-z'),
    xdigit: spans('0-9', 'A-F', 'a-f'),
};
/** Go's Unicode general categories (its `C` excludes unassigned code points, JavaScript's does not). */
const CATEGORIES = new Set('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));
/** The tables Go folds under (?i) (unicode.FoldCategory, unicode.FoldScript); it leaves the others be. */
const FOLD_SENSITIVE = new Set(['L', 'Ll', 'Lt', 'Lu', 'M', 'Mn', 'Common', 'Greek', 'Inherited']);
function children(node) {
    switch (node.kind) {
        case 'group':
        case 'repeat':
            return [node.body];
        case 'cat':
            return node.items;
        case 'alt':
            return node.branches;
        default:
            return [];
    }
}
function re2_walk(node, visit) {
    visit(node);
    for (const child of children(node))
        re2_walk(child, visit);
}
/** The characters a node matches when it is exactly one character without Unicode classes. */
function singleChar(node) {
    if (node.kind === 'lit')
        return (node.fold ? orbitOf(node.cp) : [node.cp]).map((c) => [c, c]);
    if (node.kind === 'dot')
        return node.nl ? [[0, MAX_CP]] : complement([[0x0a, 0x0a]]);
    if (node.kind === 'set' && node.props.length === 0)
        return node.negated ? complement(node.ranges) : node.ranges;
    return undefined;
}
/** Go's repeatIsValid: nested counted repetitions may not exceed 1000 copies of the innermost. */
function repeatIsValid(node, n) {
    if (node.kind === 'repeat') {
        let m = node.max;
        if (m === 0)
            return true;
        if (m < 0)
            m = node.min;
        if (m > n)
            return false;
        if (m > 0)
            n = Math.floor(n / m);
    }
    return children(node).every((child) => repeatIsValid(child, n));
}
// ---------------------------------------------------------------------------------------------
// The parser: Go's regexp/syntax with Perl flags, error for error.
const ch = (s) => s.codePointAt(0);
const [BACKSLASH, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, PIPE, CARET, DOLLAR, DOT] = [
    0x5c, 0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x7c, 0x5e, 0x24, 0x2e,
];
const [STAR, PLUS, QUESTION, MINUS, COLON, LT, GT, COMMA] = [
    0x2a, 0x2b, 0x3f, 0x2d, 0x3a, 0x3c, 0x3e, 0x2c,
];
const re2_isDigit = (c) => c !== undefined && c >= 0x30 && c <= 0x39;
const isOctal = (c) => c !== undefined && c >= 0x30 && c <= 0x37;
const isAlnum = (c) => re2_isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const unhex = (c) => {
    if (c === undefined)
        return -1;
    if (re2_isDigit(c))
        return c - 0x30;
    if (c >= 0x61 && c <= 0x66)
        return c - 0x61 + 10;
    if (c >= 0x41 && c <= 0x46)
        return c - 0x41 + 10;
    return -1;
};
const MAX_NESTING = 1000;
class Parser {
    pattern;
    cps;
    pos = 0;
    flags = { i: false, m: false, s: false, U: false };
    depth = 0;
    groups = [];
    names = new Set();
    constructor(pattern) {
        this.pattern = pattern;
        this.cps = Array.from(pattern, (c) => c.codePointAt(0));
    }
    parse() {
        const node = this.parseAlt();
        if (this.pos < this.cps.length)
            this.fail('unexpected )', 0);
        return node;
    }
    peek(offset = 0) {
        return this.cps[this.pos + offset];
    }
    text(from, to = this.cps.length) {
        return String.fromCodePoint(...this.cps.slice(from, to));
    }
    fail(problem, from, to) {
        const expr = this.text(from, to);
        throw new Re2SyntaxError(this.pattern, expr ? `${problem}: \`${expr}\`` : problem);
    }
    parseAlt() {
        const parsed = [this.parseConcat()];
        while (this.peek() === PIPE) {
            this.pos++;
            parsed.push(this.parseConcat());
        }
        // As Go does, neighbouring one-character alternatives become one class: `(?:.|\s)` is
        // `[\s\S]`. Same matches, and JavaScript's backtracking no longer tries every way to split a
        // run of spaces between `.` and `\s` (exponential time where RE2 takes linear).
        const branches = [];
        for (const branch of parsed) {
            const ranges = singleChar(branch);
            const last = branches[branches.length - 1];
            const lastRanges = last && singleChar(last);
            if (ranges && lastRanges)
                branches[branches.length - 1] = {
                    kind: 'set',
                    ranges: normalize([...lastRanges, ...ranges]),
                    props: [],
                    negated: false,
                };
            else
                branches.push(branch);
        }
        return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
    }
    parseConcat() {
        const items = [];
        // Where the previous token started, when it was a repetition operator: RE2 rejects `a**`.
        let lastRepeat = -1;
        for (let c = this.peek(); c !== undefined && c !== PIPE && c !== RPAREN; c = this.peek()) {
            const start = this.pos;
            let repeated = false;
            if (c === LPAREN) {
                const group = this.parseGroup();
                if (group)
                    items.push(group);
            }
            else if (c === CARET || c === DOLLAR) {
                this.pos++;
                const what = c === CARET ? (this.flags.m ? 'mbol' : 'bol') : this.flags.m ? 'meol' : 'eol';
                items.push({ kind: 'assert', what });
            }
            else if (c === DOT) {
                this.pos++;
                items.push({ kind: 'dot', nl: this.flags.s });
            }
            else if (c === LBRACKET) {
                items.push(this.parseClass());
            }
            else if (c === STAR || c === PLUS || c === QUESTION) {
                this.pos++;
                this.repeat(items, c === PLUS ? 1 : 0, c === QUESTION ? 1 : -1, start, lastRepeat);
                repeated = true;
            }
            else if (c === LBRACE) {
                const braces = this.parseBraces();
                if (!braces) {
                    this.pos++;
                    items.push(this.literal(c));
                }
                else {
                    const { min, max } = braces;
                    if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
                        this.fail('invalid repeat count', start, this.pos);
                    this.repeat(items, min, max, start, lastRepeat);
                    repeated = true;
                }
            }
            else if (c === BACKSLASH) {
                this.parseEscapeInto(items);
            }
            else {
                this.pos++;
                items.push(this.literal(c));
            }
            lastRepeat = repeated ? start : -1;
        }
        return items.length === 1 ? items[0] : { kind: 'cat', items };
    }
    literal(cp) {
        return { kind: 'lit', cp, fold: this.flags.i };
    }
    repeat(items, min, max, start, lastRepeat) {
        let greedy = !this.flags.U;
        if (this.peek() === QUESTION) {
            this.pos++;
            greedy = !greedy;
        }
        if (lastRepeat >= 0)
            this.fail('invalid nested repetition operator', lastRepeat, this.pos);
        const body = items.pop();
        if (!body)
            this.fail('missing argument to repetition operator', start, this.pos);
        const node = { kind: 'repeat', body, min, max, greedy };
        if ((min >= 2 || max >= 2) && !repeatIsValid(node, 1000))
            this.fail('invalid repeat count', start, this.pos);
        items.push(node);
    }
    /** `{n}`, `{n,}`, `{n,m}` without leading zeros (Go's parseRepeat); else `{` is a literal. */
    parseBraces() {
        let at = this.pos + 1;
        // A decimal number; -1 when too big (Go stops counting at 1e8 and reports a bad count).
        const int = () => {
            if (!re2_isDigit(this.cps[at]) || (this.cps[at] === 0x30 && re2_isDigit(this.cps[at + 1])))
                return undefined;
            let n = 0;
            for (; re2_isDigit(this.cps[at]); at++)
                if (n >= 0)
                    n = n >= 1e8 ? -1 : n * 10 + this.cps[at] - 0x30;
            return n;
        };
        let min = int();
        if (min === undefined)
            return undefined;
        let max = min;
        if (this.cps[at] === COMMA) {
            at++;
            if (this.cps[at] === RBRACE)
                max = -1;
            else {
                const m = int();
                if (m === undefined)
                    return undefined;
                if (m < 0)
                    min = -1;
                max = m;
            }
        }
        if (this.cps[at] !== RBRACE)
            return undefined;
        this.pos = at + 1;
        return { min, max };
    }
    /** A group, or undefined for a flags-only `(?i)`, which changes the flags of the rest of the group. */
    parseGroup() {
        const start = this.pos;
        if (this.peek(1) !== QUESTION) {
            this.pos++;
            return this.groupBody(start, true, undefined, this.flags);
        }
        const third = this.peek(2);
        if ((third === ch('P') && this.peek(3) === LT && this.peek(4) !== undefined) ||
            (third === LT && this.peek(3) !== undefined)) {
            const nameStart = this.pos + (third === LT ? 3 : 4);
            let end = nameStart;
            while (end < this.cps.length && this.cps[end] !== GT)
                end++;
            if (end >= this.cps.length)
                this.fail('invalid named capture', start);
            const name = this.text(nameStart, end);
            if (!/^[A-Za-z0-9_]+$/.test(name))
                this.fail('invalid named capture', start, end + 1);
            this.pos = end + 1;
            return this.groupBody(start, true, name, this.flags);
        }
        const saved = this.flags;
        const flags = { ...this.flags };
        let negate = false;
        let sawFlag = false;
        let at = this.pos + 2;
        for (;;) {
            const c = this.cps[at++];
            if (c === undefined)
                break;
            const letter = String.fromCodePoint(c);
            if (letter === 'i' || letter === 'm' || letter === 's' || letter === 'U') {
                flags[letter] = !negate;
                sawFlag = true;
                continue;
            }
            if (c === MINUS && !negate) {
                negate = true;
                sawFlag = false;
                continue;
            }
            if ((c === COLON || c === RPAREN) && (!negate || sawFlag)) {
                this.pos = at;
                if (c === RPAREN) {
                    this.flags = flags;
                    return undefined;
                }
                this.flags = flags;
                return this.groupBody(start, false, undefined, saved);
            }
            break;
        }
        return this.fail('invalid or unsupported Perl syntax', start, Math.min(at, this.cps.length));
    }
    groupBody(start, capture, name, restore) {
        if (++this.depth > MAX_NESTING)
            this.fail('expression nests too deeply', start, this.pos);
        const node = { kind: 'group', capture, body: { kind: 'cat', items: [] }, index: 0 };
        if (name !== undefined && /^[A-Za-z_$][\w$]*$/.test(name) && !this.names.has(name)) {
            node.name = name;
            this.names.add(name);
        }
        if (capture)
            this.groups.push(node);
        node.body = this.parseAlt();
        if (this.peek() !== RPAREN)
            this.fail('missing closing )', 0);
        this.pos++;
        this.depth--;
        this.flags = restore;
        return node;
    }
    parseEscapeInto(items) {
        const start = this.pos;
        const c = this.peek(1);
        const assertion = { A: 'bot', b: 'word', B: 'nonword', z: 'eot' }[String.fromCodePoint(c ?? 0)];
        if (assertion) {
            this.pos += 2;
            items.push({ kind: 'assert', what: assertion });
            return;
        }
        if (c === ch('C'))
            this.fail('invalid escape sequence', start, start + 2);
        if (c === ch('Q')) {
            // \Q…\E: everything up to \E (or the end) is literal; a quantifier then binds to its last character.
            let end = this.pos + 2;
            while (end < this.cps.length && !(this.cps[end] === BACKSLASH && this.cps[end + 1] === ch('E')))
                end++;
            for (let k = this.pos + 2; k < end; k++)
                items.push(this.literal(this.cps[k]));
            this.pos = Math.min(end + 2, this.cps.length);
            return;
        }
        if (c === ch('p') || c === ch('P')) {
            const props = this.unicodeClass();
            items.push({ kind: 'set', ranges: [], props, negated: false });
            return;
        }
        const perl = this.perlClass();
        if (perl) {
            items.push({ kind: 'set', ranges: perl, props: [], negated: false });
            return;
        }
        items.push(this.literal(this.escapeChar()));
    }
    /** `\d \D \s \S \w \W` at the current position, folded under (?i) before negation, as Go does. */
    perlClass() {
        if (this.peek() !== BACKSLASH)
            return undefined;
        const letter = String.fromCodePoint(this.peek(1) ?? 0);
        const table = PERL[letter.toLowerCase()];
        if (!table || !/[dswDSW]/.test(letter))
            return undefined;
        this.pos += 2;
        return this.group(table, letter === letter.toUpperCase());
    }
    group(table, negated) {
        const ranges = this.flags.i ? foldRanges(table) : table;
        return negated ? complement(ranges) : ranges;
    }
    /** `\pL`, `\p{Greek}`, `\P{^Lu}` at the current position. */
    unicodeClass() {
        const start = this.pos;
        let negated = this.peek(1) === ch('P');
        this.pos += 2;
        let name;
        if (this.peek() === LBRACE) {
            let end = this.pos;
            while (end < this.cps.length && this.cps[end] !== RBRACE)
                end++;
            if (end >= this.cps.length)
                this.fail('invalid character class range', start);
            name = this.text(this.pos + 1, end);
            this.pos = end + 1;
        }
        else {
            const c = this.peek();
            name = c === undefined ? '' : String.fromCodePoint(c);
            if (c !== undefined)
                this.pos++;
        }
        const seq = this.text(start, this.pos);
        if (name.startsWith('^')) {
            negated = !negated;
            name = name.slice(1);
        }
        const fold = this.flags.i && FOLD_SENSITIVE.has(name);
        if (name === 'C') {
            // Go's C is Cc|Cf|Co|Cs; its complement is JavaScript's \P{C} plus the unassigned \p{Cn}.
            if (!negated)
                return ['Cc', 'Cf', 'Co', 'Cs'].map((n) => ({ name: n, negated: false, fold: false }));
            return [
                { name: 'C', negated: true, fold: false },
                { name: 'Cn', negated: false, fold: false },
            ];
        }
        let jsName;
        if (name === 'Any' || CATEGORIES.has(name))
            jsName = name;
        else if (/^[A-Z][a-z]+(?:_[A-Z][a-z]+)*$/.test(name)) {
            jsName = `Script=${name}`;
            try {
                new RegExp(`\\p{${jsName}}`, 'u');
            }
            catch {
                throw new Re2TranslationError(this.pattern, `this Node.js does not know the Unicode script in ${seq}`);
            }
        }
        else
            return this.fail('invalid character class range', start, this.pos);
        return [{ name: jsName, negated, fold }];
    }
    parseClass() {
        const start = this.pos;
        this.pos++;
        let negated = false;
        if (this.peek() === CARET) {
            negated = true;
            this.pos++;
        }
        const ranges = [];
        const props = [];
        for (let first = true;; first = false) {
            const c = this.peek();
            if (c === undefined)
                this.fail('missing closing ]', start);
            if (c === RBRACKET && !first)
                break;
            if (c === LBRACKET && this.peek(1) === COLON) {
                const posix = this.posixClass();
                if (posix) {
                    ranges.push(...posix);
                    continue;
                }
            }
            if (c === BACKSLASH && (this.peek(1) === ch('p') || this.peek(1) === ch('P'))) {
                props.push(...this.unicodeClass());
                continue;
            }
            const perl = this.perlClass();
            if (perl) {
                ranges.push(...perl);
                continue;
            }
            const rangeStart = this.pos;
            const lo = this.classChar(start);
            let hi = lo;
            if (this.peek() === MINUS && this.peek(1) !== undefined && this.peek(1) !== RBRACKET) {
                this.pos++;
                hi = this.classChar(start);
                if (hi < lo)
                    this.fail('invalid character class range', rangeStart, this.pos);
            }
            ranges.push(...(this.flags.i ? foldRanges([[lo, hi]]) : [[lo, hi]]));
        }
        this.pos++;
        return { kind: 'set', ranges: normalize(ranges), props, negated };
    }
    classChar(classStart) {
        const c = this.peek();
        if (c === undefined)
            this.fail('missing closing ]', classStart);
        if (c === BACKSLASH)
            return this.escapeChar();
        this.pos++;
        return c;
    }
    /** `[:alpha:]`, `[:^space:]`; undefined when no `:]` follows (then `[` is a character). */
    posixClass() {
        let end = this.pos + 2;
        while (end + 1 < this.cps.length && !(this.cps[end] === COLON && this.cps[end + 1] === RBRACKET))
            end++;
        if (end + 1 >= this.cps.length)
            return undefined;
        let name = this.text(this.pos + 2, end);
        const negated = name.startsWith('^');
        if (negated)
            name = name.slice(1);
        const table = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
        if (!table)
            this.fail('invalid character class range', this.pos, end + 2);
        this.pos = end + 2;
        return this.group(table, negated);
    }
    /** A one-character escape, as Go's parseEscape: punctuation, octal, hex, and C escapes. */
    escapeChar() {
        const start = this.pos;
        this.pos++;
        const c = this.peek();
        if (c === undefined)
            return this.fail('trailing backslash at end of expression', start, start);
        this.pos++;
        if (c < 0x80 && !isAlnum(c))
            return c;
        if ((c >= 0x31 && c <= 0x37 && isOctal(this.peek())) || c === 0x30) {
            let r = c - 0x30;
            for (let k = 1; k < 3 && isOctal(this.peek()); k++)
                r = r * 8 + this.cps[this.pos++] - 0x30;
            return r;
        }
        if (c === ch('x')) {
            if (this.peek() === LBRACE) {
                this.pos++;
                let r = 0;
                let digits = 0;
                for (let d = this.peek(); d !== RBRACE; d = this.peek()) {
                    this.pos++;
                    const v = unhex(d);
                    if (v < 0 || (r = r * 16 + v) > MAX_CP)
                        this.fail('invalid escape sequence', start, this.pos);
                    digits++;
                }
                this.pos++;
                if (digits === 0)
                    this.fail('invalid escape sequence', start, this.pos);
                return r;
            }
            const x = unhex(this.peek());
            const y = unhex(this.peek(1));
            this.pos = Math.min(this.pos + 2, this.cps.length);
            if (x < 0 || y < 0)
                this.fail('invalid escape sequence', start, this.pos);
            return x * 16 + y;
        }
        const simple = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 }[String.fromCodePoint(c)];
        if (simple !== undefined)
            return simple;
        return this.fail('invalid escape sequence', start, this.pos);
    }
}
/** Paths from the root to each capture group, as steps. */
function groupPaths(root) {
    const paths = new Map();
    const visit = (node, path) => {
        if (node.kind === 'group' && node.capture)
            paths.set(node, path);
        children(node).forEach((child, i) => visit(child, [...path, { node, child: i }]));
    };
    visit(root, []);
    return paths;
}
function minLength(node) {
    switch (node.kind) {
        case 'lit':
        case 'set':
        case 'dot':
            return 1;
        case 'group':
            return minLength(node.body);
        case 'cat':
            return node.items.reduce((sum, item) => sum + minLength(item), 0);
        case 'alt':
            return Math.min(...node.branches.map(minLength));
        case 'repeat':
            return node.min * minLength(node.body);
        default:
            return 0;
    }
}
/** Whether a group takes part in every match: no alternation or optional repetition above it. */
function alwaysTakesPart(path) {
    return path.every(({ node }) => node.kind !== 'alt' && !(node.kind === 'repeat' && node.min === 0));
}
function chooseSecret(pattern, root, groups) {
    const paths = groupPaths(root);
    if (groups.length <= 1 || (alwaysTakesPart(paths.get(groups[0])) && minLength(groups[0].body) > 0))
        return { root };
    const reject = (why) => {
        throw new Re2TranslationError(pattern, `gitleaks reports the first of its ${groups.length} capture groups that matched text, and ${why}; ` +
            'set secretGroup to the group that holds the secret');
    };
    const all = groups.map((g) => paths.get(g));
    for (const path of all) {
        if (path.some(({ node }) => node.kind === 'group' && node.capture))
            reject('one group is nested in another');
        if (path.some(({ node }) => node.kind === 'repeat' && node.max !== 0 && node.max !== 1))
            reject('a group is inside a repetition');
    }
    // Every two groups must be alternatives: their deepest common node is an alternation.
    for (let a = 0; a < all.length; a++)
        for (let b = a + 1; b < all.length; b++) {
            const pa = all[a];
            const pb = all[b];
            let k = 0;
            while (k < pa.length && k < pb.length && pa[k].node === pb[k].node && pa[k].child === pb[k].child)
                k++;
            if (pa[k]?.node !== pb[k]?.node || pa[k]?.node.kind !== 'alt')
                reject('two of them can match together');
        }
    // The deepest node all paths share is the alternation holding every group.
    let depth = 0;
    const first = all[0];
    while (all.every((p) => p[depth] && p[depth].node === first[depth].node && p[depth].child === first[depth].child))
        depth++;
    const top = first[depth].node;
    // The text between a group's end and the end of `top` is the rest of each sequence on the way up:
    // capture each such rest once, so the lookbehind can step back over it.
    const tails = new Map();
    for (const path of all)
        for (let k = path.length - 1; k >= depth; k--) {
            const { node, child } = path[k];
            if (node.kind !== 'cat' || child === node.items.length - 1 || tails.has(node))
                continue;
            const group = {
                kind: 'group',
                capture: true,
                body: { kind: 'cat', items: node.items.slice(child + 1) },
                index: 0,
            };
            node.items = [...node.items.slice(0, child + 1), group];
            tails.set(node, { group, depth: k });
        }
    const secret = {
        kind: 'secret',
        groups,
        tails: [...tails.values()].sort((a, b) => b.depth - a.depth).map((t) => t.group),
        index: 0,
    };
    // Append the lookbehind right after `top` (an alternation: the root, or the body of a group).
    const withSecret = (node) => ({ kind: 'cat', items: [wrap(node), secret] });
    if (depth === 0)
        return { root: withSecret(top), secret };
    const holder = first[depth - 1];
    const parent = holder.node;
    if (parent.kind === 'group' || parent.kind === 'repeat')
        parent.body = withSecret(top);
    else if (parent.kind === 'cat')
        parent.items[holder.child] = withSecret(top);
    else if (parent.kind === 'alt')
        parent.branches[holder.child] = withSecret(top);
    return { root, secret };
}
function wrap(node) {
    return node.kind === 'alt' ? { kind: 'group', capture: false, body: node, index: 0 } : node;
}
const hex = (n, width) => n.toString(16).toUpperCase().padStart(width, '0');
const SYNTAX = new Set([...'^$\\.*+?()[]{}|'].map(ch));
const IN_CLASS = new Set([...'\\]^-['].map(ch));
const CONTROL = { 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
function plainChar(cp, ctx) {
    if (cp >= 0x20 && cp < 0x7f)
        return String.fromCharCode(cp);
    if (CONTROL[cp])
        return CONTROL[cp];
    if (cp < 0x100)
        return `\\x${hex(cp, 2)}`;
    if (cp < 0x10000)
        return `\\u${hex(cp, 4)}`;
    if (ctx.u)
        return `\\u{${hex(cp, 1)}}`;
    const s = String.fromCodePoint(cp);
    return `\\u${hex(s.charCodeAt(0), 4)}\\u${hex(s.charCodeAt(1), 4)}`;
}
function atomChar(cp, ctx) {
    if (SYNTAX.has(cp))
        return `\\${String.fromCharCode(cp)}`;
    // Without `u` a character beyond U+FFFF is two units: group them so a quantifier takes both.
    return cp > 0xffff && !ctx.u ? `(?:${plainChar(cp, ctx)})` : plainChar(cp, ctx);
}
function classRanges(ranges, ctx) {
    let out = '';
    let rs = intersect(ranges, UNIVERSE);
    if (!ctx.u && astralPart(rs) === 'all')
        rs = normalize([...intersect(rs, [[0, 0xffff]]), [0xd800, 0xdfff]]);
    for (const [lo, hi] of rs) {
        const one = (cp) => (IN_CLASS.has(cp) ? `\\${String.fromCharCode(cp)}` : plainChar(cp, ctx));
        out += lo === hi ? one(lo) : hi === lo + 1 ? one(lo) + one(hi) : `${one(lo)}-${one(hi)}`;
    }
    return out;
}
function emitProp(p) {
    return `\\${p.negated ? 'P' : 'p'}{${p.name}}`;
}
const extrasCache = new Map();
/** The case partners of a Unicode class's members that are not members themselves. */
function foldExtras(name) {
    let extras = extrasCache.get(name);
    if (!extras) {
        const member = new RegExp(`^\\p{${name}}$`, 'u');
        const out = [];
        for (const orbit of new Set(orbitTable().orbits.values())) {
            const inside = orbit.filter((c) => member.test(String.fromCodePoint(c)));
            if (inside.length > 0)
                for (const c of orbit)
                    if (!inside.includes(c))
                        out.push([c, c]);
        }
        extras = normalize(out);
        extrasCache.set(name, extras);
    }
    return extras;
}
function emitSet(node, ctx) {
    const { ranges, props, negated } = node;
    if (props.length === 0) {
        const set = intersect(negated ? complement(ranges) : ranges, UNIVERSE);
        if (set.length === 1 && set[0][0] === set[0][1])
            return atomChar(set[0][0], ctx);
        const rest = intersect(complement(set), UNIVERSE);
        return rest.length < set.length ? `[^${classRanges(rest, ctx)}]` : `[${classRanges(set, ctx)}]`;
    }
    // One class holds the ranges, \p{…} with its case partners, and \P{…} of an unfolded table. A
    // folded \P{…} is everything outside the table and its partners: a [^…] of its own.
    let inClass = classRanges(ranges, ctx);
    const apart = [];
    for (const p of props) {
        const extras = p.fold ? classRanges(foldExtras(p.name), ctx) : '';
        if (!p.negated)
            inClass += `\\p{${p.name}}${extras}`;
        else if (!extras)
            inClass += `\\P{${p.name}}`;
        else
            apart.push(`\\p{${p.name}}${extras}`);
    }
    if (apart.length === 0) {
        const [only] = props;
        const bare = !negated && ranges.length === 0 && props.length === 1 && inClass === emitProp(only);
        return bare ? inClass : `[${negated ? '^' : ''}${inClass}]`;
    }
    if (!negated)
        return `(?:${[...(inClass ? [`[${inClass}]`] : []), ...apart.map((a) => `[^${a}]`)].join('|')})`;
    // In none of them: inside each folded table (or its partners), and outside the class.
    return `(?:${apart.map((a) => `(?=[${a}])`).join('')}${inClass ? `[^${inClass}]` : '[\\s\\S]'})`;
}
const ASSERTIONS = {
    bol: '^',
    eol: '$',
    mbol: '(?<![^\\n])',
    meol: '(?![^\\n])',
    bot: '(?<![\\s\\S])',
    eot: '(?![\\s\\S])',
    word: '\\b',
    nonword: '\\B',
};
function emit(node, ctx) {
    switch (node.kind) {
        case 'lit': {
            const orbit = node.fold ? orbitOf(node.cp) : [node.cp];
            if (orbit.length === 1)
                return atomChar(node.cp, ctx);
            return emitSet({ kind: 'set', ranges: orbit.map((c) => [c, c]), props: [], negated: false }, ctx);
        }
        case 'set':
            return emitSet(node, ctx);
        case 'dot':
            return node.nl ? '[\\s\\S]' : '[^\\n]';
        case 'assert':
            return ASSERTIONS[node.what];
        case 'group': {
            const open = !node.capture ? '(?:' : node.name ? `(?<${node.name}>` : '(';
            return `${open}${emit(node.body, ctx)})`;
        }
        case 'cat':
            return node.items.map((item) => emit(item, ctx)).join('');
        case 'alt':
            return node.branches.map((branch) => emit(branch, ctx)).join('|');
        case 'repeat':
            return emitRepeat(node, ctx);
        case 'secret': {
            const refs = (groups) => groups.map((g) => `\\${g.index}`).join('');
            return `(?<=(${refs(node.groups)})${refs(node.tails)})`;
        }
    }
}
/**
 * JavaScript rejects an optional iteration that matches nothing, where Go accepts it: Go compiles
 * `x?` as a choice, `x*` of an x that can match nothing as `(x+)?`, and `x{n,m}` as n copies and
 * nested `(x(x)?)?`. For such an x the same shapes are written out, with choices as alternations.
 */
function emitRepeat(node, ctx) {
    const { min, max, greedy } = node;
    const lazy = greedy ? '' : '?';
    const optional = (inner) => (greedy ? `(?:${inner}|)` : `(?:|${inner})`);
    if (minLength(node.body) === 0 && max !== min && !(min > 0 && max === -1)) {
        const one = emitAtom(node.body, ctx);
        if (max === -1)
            return optional(`${one}+${lazy}`);
        if (max === 1 && min === 0)
            return optional(one);
        // Copies of a body with capture groups would renumber them: keep JavaScript's quantifier.
        if (hasCapture(node.body))
            return `${one}${quantifier(min, max)}${lazy}`;
        if (max - min > 100)
            throw new Re2TranslationError(ctx.pattern, `a repetition {${min},${max}} of something that can match nothing is too long to write out`);
        let rest = '';
        for (let k = max - min; k > 0; k--)
            rest = optional(one + rest);
        return (min === 0 ? '' : min === 1 ? one : `${one}{${min}}`) + rest;
    }
    return `${emitAtom(node.body, ctx)}${quantifier(min, max)}${lazy}`;
}
function hasCapture(node) {
    return (node.kind === 'group' && node.capture) || children(node).some(hasCapture);
}
function emitAtom(node, ctx) {
    const body = emit(node, ctx);
    return ['lit', 'set', 'dot', 'group'].includes(node.kind) ? body : `(?:${body})`;
}
function quantifier(min, max) {
    return min === 0 && max === -1
        ? '*'
        : min === 1 && max === -1
            ? '+'
            : min === 0 && max === 1
                ? '?'
                : max === -1
                    ? `{${min},}`
                    : min === max
                        ? `{${min}}`
                        : `{${min},${max}}`;
}
// ---------------------------------------------------------------------------------------------
function setNeedsU(node) {
    if (node.props.length > 0)
        return true;
    return astralPart(intersect(node.negated ? complement(node.ranges) : node.ranges, UNIVERSE)) === 'some';
}
function compile(pattern, secretGroup) {
    const parser = new Parser(pattern);
    let root = parser.parse();
    const groups = parser.groups.length;
    let secret;
    if (secretGroup === 0)
        ({ root, secret } = chooseSecret(pattern, root, parser.groups));
    let u = false;
    re2_walk(root, (node) => {
        if (node.kind === 'set')
            u ||= setNeedsU(node);
        if (node.kind === 'lit' && node.fold)
            u ||= orbitOf(node.cp).some((c) => c > 0xffff);
    });
    let index = 0;
    re2_walk(root, (node) => {
        if ((node.kind === 'group' && node.capture) || node.kind === 'secret')
            node.index = ++index;
    });
    const ctx = { pattern, u };
    const source = emit(root, ctx);
    const flags = u ? 'u' : '';
    try {
        new RegExp(source, flags);
    }
    catch (error) {
        throw new Re2TranslationError(pattern, `its JavaScript form does not compile (${error.message})`);
    }
    const chosen = secretGroup === undefined || secretGroup > 0
        ? (secretGroup ?? 0)
        : secret
            ? secret.index
            : groups > 0
                ? 1
                : 0;
    return { source, flags, groups, secretGroup: chosen };
}

// EXTERNAL MODULE: ./src/secrets-scan/rules.ts + 13 modules
var rules = __nccwpck_require__(8689);
;// CONCATENATED MODULE: ./src/secrets-scan/gitleaks.ts
/**
 * gitleaks (v8) configuration files read into the secrets model, with gitleaks' meaning:
 *
 * - Keys are case-insensitive (gitleaks reads them with viper); unknown keys are errors here.
 * - Without `[extend]` the file replaces the default rules; `[extend] useDefault = true` keeps
 *   ours on, and a rule with the id of one of them changes it field by field, as gitleaks merges
 *   onto its defaults (regex, path, description, entropy, secretGroup replace; keywords and
 *   allowlists add). `disabledRules` turns off rules of what is extended; `[extend] path` extends
 *   another file, read relative to this one (gitleaks reads it relative to its working directory:
 *   the same place for a config at the root of the repository), two levels deep as gitleaks.
 * - Regexes are Go RE2, translated by re2.ts. A rule whose regex JavaScript cannot express is
 *   reported in `skippedRules`; a regex RE2 itself rejects is an error, as in gitleaks.
 * - The secret is the `secretGroup` capture, or else the first capture group that matched text
 *   (see translateRe2Rule). gitleaks drops a secret whose entropy is at or below `entropy`: the
 *   model's minimum is the next number above it. A rule with `path` and no `regex` reports files
 *   by path alone. `[[allowlists]]` with `targetRules` are attached to the rules they name.
 */







const TOP = ['title', 'description', 'extend', 'rules', 'allowlist', 'allowlists'];
const EXTEND = ['useDefault', 'path', 'url', 'disabledRules'];
const RULE = [
    ...['id', 'description', 'regex', 'secretGroup', 'entropy', 'keywords', 'path', 'tags'],
    ...['allowlist', 'allowlists', 'required', 'skipReport'],
];
const ALLOW = ['description', 'condition', 'commits', 'paths', 'regexTarget', 'regexes', 'stopwords'];
const GLOBAL_ALLOW = [...ALLOW, 'targetRules'];
/** gitleaks' maxExtendDepth: the file, what it extends, and what that extends. */
const MAX_DEPTH = 2;
/** Parses a gitleaks config. `file` is its path (extended files are found beside it). */
function parseGitleaksConfig(text, file, options = {}) {
    const name = options.displayName ?? file;
    const level = readLevel(text, file, name, 0);
    for (const t of level.targeted)
        attachTargeted(level, t);
    const rules = [];
    for (const r of level.rules) {
        const rule = toSecretRule(r, level.useDefault);
        if ('reason' in rule)
            level.skipped.push(rule);
        else
            rules.push(rule);
    }
    const defined = new Set(rules.map((r) => r.id));
    return {
        file: name,
        format: 'gitleaks',
        useDefault: level.useDefault,
        rules,
        disabledRules: [...level.disabled].filter((id) => !defined.has(id)),
        allowlists: level.allowlists,
        entropy: {},
        skippedRules: level.skipped,
    };
}
// ---------------------------------------------------------------------------------------------
// Reading one file.
class Reader {
    name;
    at;
    constructor(name, text) {
        this.name = name;
        this.at = new TomlLines(text);
    }
    fail(table, key, subject, problem, fix) {
        throw configError(this.name, this.at.line(table, key), subject, problem, fix);
    }
    /** The keys of a table, lower-cased as gitleaks reads them; unknown keys are errors. */
    fields(value, table, subject, what, allowed) {
        if (!isTable(value))
            this.fail(table, undefined, subject, `${what} must be a table`, `Write it as ${what} with keys`);
        const out = new Map();
        for (const [key, v] of Object.entries(value)) {
            const canonical = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
            if (!canonical)
                this.fail(table, key, subject, `unknown key '${key}' in ${what}`, `${didYouMean(key, allowed).trim() || 'Remove it.'} Allowed keys: ${allowed.join(', ')}`);
            if (out.has(canonical))
                this.fail(table, key, subject, `'${canonical}' is given twice`, 'Keep one');
            out.set(canonical, v);
        }
        return out;
    }
    string(f, key, table, subject) {
        const v = f.get(key);
        if (v !== undefined && typeof v !== 'string')
            this.fail(table, key, subject, `${key} must be a string`, `Write ${key} = '''…'''`);
        return v;
    }
    number(f, key, table, subject, integer) {
        const v = f.get(key);
        if (v === undefined)
            return undefined;
        if (typeof v !== 'number' || v < 0 || !Number.isFinite(v) || (integer && !Number.isInteger(v)))
            this.fail(table, key, subject, `${key} must be a ${integer ? 'whole number' : 'number'} of 0 or more`, `Write ${key} = ${integer ? 1 : 3.5}`);
        return v;
    }
    boolean(f, key, table) {
        const v = f.get(key);
        if (v !== undefined && typeof v !== 'boolean')
            this.fail(table, key, undefined, `${key} must be true or false`, `Write ${key} = true`);
        return v;
    }
    strings(f, key, table, subject) {
        const v = f.get(key);
        if (v === undefined)
            return [];
        if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
            this.fail(table, key, subject, `${key} must be a list of strings`, `Write ${key} = ["…"]`);
        return v;
    }
    /** An array of tables; `table` is where it sits (`rules`, `rules.0.allowlists`). */
    tables(value, table, what) {
        if (value === undefined)
            return [];
        if (!Array.isArray(value) || !value.every(isTable))
            this.fail(table, undefined, undefined, `${what} must be an array of tables`, `Write each entry under its own ${what} header`);
        return value;
    }
    /** An RE2 regex: invalid RE2 is an error; what JavaScript cannot express is thrown on as is. */
    re2(source, table, key, subject) {
        try {
            const { source: js, flags } = translateRe2(source);
            return new RegExp(js, flags);
        }
        catch (error) {
            if (error instanceof Re2SyntaxError)
                throw this.syntaxError(error, table, key, subject);
            throw error;
        }
    }
    syntaxError(error, table, key, subject) {
        return configError(this.name, this.at.line(table, key), subject, `${key} '''${error.pattern}''' is not valid RE2: ${error.reason}`, "Fix it: gitleaks compiles it with Go's regexp package");
    }
}
function isTable(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}
function readLevel(text, file, name, depth) {
    const r = new Reader(name, text);
    let doc;
    try {
        doc = parse(text.replace(/^\uFEFF/, ''));
    }
    catch (error) {
        if (!(error instanceof TomlError))
            throw error;
        const problem = `invalid TOML: ${error.message.replace(/^Invalid TOML document: /, '').split('\n')[0]}`;
        throw configError(name, error.line, undefined, problem, 'Fix the TOML syntax');
    }
    const top = r.fields(doc, '', undefined, 'the configuration', TOP);
    const ext = top.has('extend')
        ? r.fields(top.get('extend'), 'extend', undefined, '[extend]', EXTEND)
        : new Map();
    const useDefault = r.boolean(ext, 'useDefault', 'extend') ?? false;
    const extendPath = r.string(ext, 'path', 'extend');
    const disabled = r.strings(ext, 'disabledRules', 'extend');
    if (ext.has('url'))
        r.fail('extend', 'url', undefined, 'extend.url is not supported (gitleaks ignores it too)', 'Download the file and name it in extend.path');
    if (extendPath && useDefault)
        r.fail('extend', 'path', undefined, 'extend.path and extend.useDefault are both set', 'Keep one: gitleaks refuses both');
    if (depth >= MAX_DEPTH && (extendPath || useDefault))
        r.fail('extend', undefined, undefined, 'this file is extended two levels deep and extends again', 'gitleaks ignores [extend] this deep: merge the files');
    const level = {
        rules: [],
        allowlists: [],
        targeted: [],
        useDefault,
        disabled: new Set(disabled),
        skipped: [],
    };
    const ids = new Map();
    r.tables(top.get('rules'), 'rules', '[[rules]]').forEach((table, index) => {
        const rule = readRule(r, table, index, name);
        if (ids.has(rule.id))
            r.fail(`rules.${index}`, 'id', `rule '${rule.id}'`, `this id is defined twice (also rule #${ids.get(rule.id) + 1})`, 'Give each rule its own id');
        ids.set(rule.id, index);
        if ('reason' in rule)
            level.skipped.push({ id: rule.id, reason: rule.reason });
        else
            level.rules.push(rule);
    });
    const hasOld = top.has('allowlist');
    if (hasOld && top.has('allowlists'))
        r.fail('allowlist', undefined, undefined, '[allowlist] and [[allowlists]] are both given', 'Move [allowlist] into [[allowlists]] (gitleaks refuses both)');
    const globals = hasOld
        ? [top.get('allowlist')]
        : r.tables(top.get('allowlists'), 'allowlists', '[[allowlists]]');
    globals.forEach((table, index) => {
        const where = hasOld ? 'allowlist' : `allowlists.${index}`;
        let read;
        try {
            read = readAllowlist(r, table, where, undefined, true);
        }
        catch (error) {
            if (!(error instanceof Re2TranslationError))
                throw error;
            return r.fail(where, undefined, undefined, `a regex of this allowlist cannot run here: ${error.reason}`, 'Rewrite it');
        }
        if (read.targetRules.length > 0)
            level.targeted.push({
                ids: read.targetRules,
                allowlist: read.allowlist,
                line: r.at.line(where, 'targetRules'),
                file: name,
            });
        else
            level.allowlists.push(read.allowlist);
    });
    if (!extendPath)
        return level;
    const baseFile = external_node_path_.resolve(external_node_path_.dirname(file), extendPath);
    const baseName = external_node_path_.join(external_node_path_.dirname(name), extendPath);
    let baseText;
    try {
        baseText = external_node_fs_.readFileSync(baseFile, 'utf8');
    }
    catch (error) {
        const code = error.code ?? 'error';
        return r.fail('extend', 'path', undefined, `the extended file ${baseName} cannot be read (${code})`, 'Give its path relative to this file');
    }
    return extendLevel(level, readLevel(baseText, baseFile, baseName, depth + 1));
}
/** gitleaks' Config.extend: the file's rules over the base's, field by field. */
function extendLevel(own, base) {
    const ownIds = new Set(own.rules.map((r) => r.id));
    const baseById = new Map(base.rules.map((r) => [r.id, r]));
    const rules = own.rules.map((r) => {
        const b = baseById.get(r.id);
        return b && !own.disabled.has(r.id) ? mergeRule(b, r) : r;
    });
    for (const b of base.rules)
        if (!ownIds.has(b.id) && !own.disabled.has(b.id))
            rules.push(b);
    return {
        rules,
        allowlists: [...own.allowlists, ...base.allowlists],
        targeted: [...own.targeted, ...base.targeted],
        useDefault: base.useDefault,
        disabled: new Set([...own.disabled, ...base.disabled]),
        skipped: [...own.skipped, ...base.skipped],
    };
}
function mergeRule(base, over) {
    return {
        ...base,
        ...(over.description && { description: over.description }),
        ...(over.regex && { regex: over.regex }),
        ...(over.secretGroup && { secretGroup: over.secretGroup }),
        ...(over.entropy && { entropy: over.entropy }),
        ...(over.path && { path: over.path }),
        keywords: [...base.keywords, ...over.keywords],
        allowlists: [...base.allowlists, ...over.allowlists],
        line: over.line,
        file: over.file,
    };
}
function readRule(r, table, index, file) {
    const where = `rules.${index}`;
    const rawId = Object.entries(table).find(([key]) => key.toLowerCase() === 'id')?.[1];
    const named = typeof rawId === 'string' && rawId.trim() ? `rule '${rawId.trim()}'` : `rule #${index + 1}`;
    const f = r.fields(table, where, named, '[[rules]]', RULE);
    const id = r.string(f, 'id', where, named)?.trim();
    if (!id)
        return r.fail(where, 'id', named, 'the rule has no id', 'Give it one: id = "acme-api-key"');
    const subject = `rule '${id}'`;
    const rule = { id, keywords: [], allowlists: [], line: r.at.line(where, 'id'), file };
    const description = r.string(f, 'description', where, subject);
    if (description)
        rule.description = description;
    const secretGroup = r.number(f, 'secretGroup', where, subject, true);
    if (secretGroup)
        rule.secretGroup = secretGroup;
    const entropy = r.number(f, 'entropy', where, subject, false);
    if (entropy)
        rule.entropy = entropy;
    rule.keywords = r.strings(f, 'keywords', where, subject).map((k) => k.toLowerCase());
    r.strings(f, 'tags', where, subject);
    const skipReport = r.boolean(f, 'skipReport', where);
    const source = r.string(f, 'regex', where, subject);
    const pathSource = r.string(f, 'path', where, subject);
    if (f.has('allowlist') && f.has('allowlists'))
        r.fail(`${where}.allowlist`, undefined, subject, '[rules.allowlist] and [[rules.allowlists]] are both given', 'Move [rules.allowlist] into [[rules.allowlists]] (gitleaks refuses both)');
    const allowTables = f.has('allowlist')
        ? [f.get('allowlist')]
        : r.tables(f.get('allowlists'), `${where}.allowlists`, '[[rules.allowlists]]');
    let field = 'regex';
    try {
        if (source) {
            r.re2(source, where, 'regex', subject);
            rule.regex = { source, line: r.at.line(where, 'regex'), file };
        }
        field = 'path';
        if (pathSource)
            rule.path = r.re2(pathSource, where, 'path', subject);
        field = 'allowlist regex';
        allowTables.forEach((t, k) => {
            const at = f.has('allowlist') ? `${where}.allowlist` : `${where}.allowlists.${k}`;
            rule.allowlists.push(readAllowlist(r, t, at, subject, false).allowlist);
        });
    }
    catch (error) {
        if (error instanceof Re2TranslationError)
            return { id, reason: `its ${field} '''${error.pattern}''' cannot run here: ${error.reason}` };
        throw error;
    }
    if (f.has('required'))
        return { id, reason: 'it is a composite rule ([[rules.required]]), which imagepipe does not support' };
    if (skipReport)
        return { id, reason: 'skipReport = true: gitleaks reports it only inside a composite rule' };
    return rule;
}
function readAllowlist(r, value, where, subject, global) {
    const f = r.fields(value, where, subject, global ? '[[allowlists]]' : '[[rules.allowlists]]', global ? GLOBAL_ALLOW : ALLOW);
    const given = r.string(f, 'condition', where, subject) ?? '';
    const condition = given.toUpperCase();
    const conditions = {
        '': 'OR',
        OR: 'OR',
        '||': 'OR',
        AND: 'AND',
        '&&': 'AND',
    };
    if (!Object.hasOwn(conditions, condition))
        r.fail(where, 'condition', subject, `unknown allowlist condition '${given}'`, "Use 'and' or 'or'");
    const target = r.string(f, 'regexTarget', where, subject) ?? 'secret';
    if (!['secret', 'match', 'line', ''].includes(target))
        r.fail(where, 'regexTarget', subject, `unknown regexTarget '${target}'`, "Use 'secret', 'match' or 'line'");
    const description = r.string(f, 'description', where, subject);
    const allowlist = {
        ...(description ? { description } : {}),
        condition: conditions[condition],
        paths: r.strings(f, 'paths', where, subject).map((p) => r.re2(p, where, 'paths', subject)),
        regexes: r.strings(f, 'regexes', where, subject).map((p) => r.re2(p, where, 'regexes', subject)),
        regexTarget: (target || 'secret'),
        stopwords: r.strings(f, 'stopwords', where, subject).map((s) => s.toLowerCase()),
        commits: r.strings(f, 'commits', where, subject).map((c) => c.trim().toLowerCase()),
    };
    if (allowlist.paths.length +
        allowlist.regexes.length +
        allowlist.stopwords.length +
        allowlist.commits.length ===
        0)
        r.fail(where, undefined, subject, 'the allowlist is empty', 'Give at least one of commits, paths, regexes or stopwords');
    return { allowlist, targetRules: r.strings(f, 'targetRules', where, subject) };
}
// ---------------------------------------------------------------------------------------------
// Into the model.
function attachTargeted(level, t) {
    for (const id of t.ids) {
        const rule = level.rules.find((r) => r.id === id);
        if (rule)
            rule.allowlists.push(t.allowlist);
        else if (level.useDefault && BUILTIN_IDS.has(id))
            level.rules.push({ id, keywords: [], allowlists: [t.allowlist], line: t.line, file: t.file });
        else if (level.skipped.some((s) => s.id === id))
            continue;
        else if (level.useDefault)
            level.skipped.push({ id, reason: `an [[allowlists]] entry targets it, but ${notBuiltIn(id)}` });
        else
            throw configError(t.file, t.line, undefined, `targetRules names rule '${id}', which no rule has`, didYouMean(id, level.rules.map((r) => r.id)).trim() || 'Remove it');
    }
}
function notBuiltIn(id) {
    return `'${id}' is not one of imagepipe's built-in rules (gitleaks' default rules have other ids here)${didYouMean(id, BUILTIN_IDS)}`;
}
/** The next number above `x`: gitleaks keeps a secret only when its entropy is above the limit. */
function above(x) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    view.setBigUint64(0, view.getBigUint64(0) + 1n);
    return view.getFloat64(0);
}
function toSecretRule(r, useDefault) {
    const builtin = useDefault ? rules/* BUILTIN_RULES */.Y.find((b) => b.id === r.id) : undefined;
    const rule = builtin
        ? { ...builtin, keywords: [...builtin.keywords], allowlists: [...(builtin.allowlists ?? [])] }
        : {
            id: r.id,
            title: r.id,
            description: `Defined in ${r.file}.`,
            severity: 'high',
            keywords: [],
            regex: NEVER,
        };
    rule.origin = r.file;
    if (r.description)
        rule.description = r.description;
    rule.keywords = [...new Set([...rule.keywords, ...r.keywords])];
    rule.allowlists = [...(rule.allowlists ?? []), ...r.allowlists];
    if (rule.allowlists.length === 0)
        delete rule.allowlists;
    if (r.entropy)
        rule.entropy = above(r.entropy);
    if (r.path)
        rule.path = r.path;
    const subject = `rule '${r.id}'`;
    if (r.regex) {
        try {
            const t = translateRe2Rule(r.regex.source, r.secretGroup ?? 0);
            if (r.secretGroup && r.secretGroup > t.groups)
                throw configError(r.regex.file, r.regex.line, subject, `secretGroup ${r.secretGroup} is more than the ${t.groups} capture groups of the regex`, 'Name an existing group');
            rule.regex = new RegExp(t.source, t.flags);
            rule.secretGroup = t.secretGroup;
        }
        catch (error) {
            if (error instanceof Re2TranslationError)
                return { id: r.id, reason: `its regex cannot run here: ${error.reason}` };
            throw error;
        }
        // A built-in rule's structural check and public prefix belong to its own regex.
        delete rule.validate;
        delete rule.publicPrefix;
    }
    else if (builtin) {
        if (r.secretGroup && r.secretGroup > (0,engine/* groupCount */.hl)(builtin.regex))
            throw configError(r.file, r.line, subject, `secretGroup ${r.secretGroup} is more than the capture groups of the built-in rule`, 'Remove it or give a regex');
        if (r.secretGroup)
            rule.secretGroup = r.secretGroup;
    }
    else if (r.path) {
        rule.pathOnly = true;
    }
    else if (useDefault) {
        return { id: r.id, reason: `it only adjusts a default rule, and ${notBuiltIn(r.id)}` };
    }
    else {
        throw configError(r.file, r.line, subject, 'the rule has neither regex nor path, so it would find nothing', 'Give a regex (or a path)');
    }
    return rule;
}
// ---------------------------------------------------------------------------------------------
/**
 * Lines of tables and keys, for messages: `rules.3` is the line of the fourth [[rules]],
 * `rules.3/regex` that of its regex, `rules.3.allowlists.0/paths` and so on. Best effort.
 */
class TomlLines {
    at = new Map();
    constructor(text) {
        const latest = new Map();
        const counts = new Map();
        let current = '';
        let open;
        text.split(/\r?\n/).forEach((raw, i) => {
            if (open) {
                if (raw.includes(open))
                    open = undefined;
                return;
            }
            const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]/.exec(raw);
            if (header) {
                const names = header[2].split('.').map((p) => p
                    .trim()
                    .replace(/^["']|["']$/g, '')
                    .toLowerCase());
                const name = names.join('.');
                const last = names.pop();
                const parent = names.length > 0 ? (latest.get(names.join('.')) ?? names.join('.')) : '';
                let instance = parent ? `${parent}.${last}` : last;
                if (header[1] === '[[') {
                    const n = counts.get(instance) ?? 0;
                    counts.set(instance, n + 1);
                    instance = `${instance}.${n}`;
                }
                latest.set(name, instance);
                this.at.set(instance, i + 1);
                current = instance;
                return;
            }
            const key = /^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=\s*(.*)$/.exec(raw);
            if (!key)
                return;
            this.at.set(`${current}/${key[1].replace(/^["']|["']$/g, '').toLowerCase()}`, i + 1);
            for (const quote of ["'''", '"""'])
                if (key[2].startsWith(quote) && key[2].split(quote).length === 2)
                    open = quote;
        });
    }
    line(table, key) {
        return ((key === undefined ? undefined : this.at.get(`${table}/${key.toLowerCase()}`)) ?? this.at.get(table));
    }
}

;// CONCATENATED MODULE: ./src/secrets-scan/config.ts
/**
 * Secrets-scan configuration files, read into a `SecretsConfig`: ours (`.imagepipe/secrets.yaml`,
 * kebab-case keys, JavaScript regexes, globs for paths) and gitleaks' `.gitleaks.toml` (see
 * gitleaks.ts). Every mistake is a `UserError` naming the file and line, the rule, the problem
 * and the fix; the engine never sees a half-read configuration.
 */








/**
 * Reads a configuration file: `.toml` (or TOML content with `[[rules]]`, `[allowlist]` or
 * `[extend]`) is a gitleaks config, anything else ours in YAML.
 */
async function loadSecretsConfig(file, options = {}) {
    const name = options.displayName ?? file;
    let text;
    try {
        text = await promises_namespaceObject.readFile(file, 'utf8');
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            throw configError(name, undefined, undefined, 'file not found', 'Create it, or give the right path');
        if (code === 'EISDIR')
            throw configError(name, undefined, undefined, 'is a folder, not a file', 'Name the file itself');
        throw configError(name, undefined, undefined, `cannot be read (${code ?? 'error'})`, 'Check the path and its permissions');
    }
    const ext = external_node_path_.extname(file).toLowerCase();
    const gitleaks = ext === '.toml' || (ext !== '.yaml' && ext !== '.yml' && looksLikeGitleaks(text));
    return gitleaks
        ? parseGitleaksConfig(text, file, { displayName: name })
        : parseImagepipeConfig(text, file, { displayName: name });
}
function looksLikeGitleaks(text) {
    return /^\s*\[\[?\s*(?:rules|allowlists?|extend)\s*[\].]/m.test(text);
}
// ---------------------------------------------------------------------------------------------
// Messages shared with gitleaks.ts.
/** `file:line: subject: problem. Fix.` */
function configError(file, line, subject, problem, fix) {
    const where = line === undefined ? file : `${file}:${line}`;
    return new UserError(`${where}: ${subject ? `${subject}: ` : ''}${problem}. ${fix}${/[.?!]$/.test(fix) ? '' : '.'}`);
}
/** ` Did you mean 'x'?` when a candidate is close (case, `-`/`_` and a typo or two apart), else ''. */
function didYouMean(word, candidates) {
    const plain = (s) => s.toLowerCase().replace(/[-_]/g, '');
    let best;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = plain(candidate) === plain(word) ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance)
            [best, bestDistance] = [candidate, distance];
    }
    return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 4))
        ? ` Did you mean '${best}'?`
        : '';
}
/** Edits (insert, delete, change, swap two neighbours) between two words. */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.length][b.length];
}
/** A regex that never matches: the content pattern of a rule that reports files by path alone. */
const NEVER = /(?!)/;
const BUILTIN_IDS = new Set(rules/* BUILTIN_RULES */.Y.map((r) => r.id));
// ---------------------------------------------------------------------------------------------
// Our YAML format.
const TOP_KEYS = ['use-default', 'disable', 'rules', 'allow', 'entropy'];
const RULE_KEYS = [
    'id',
    'title',
    'description',
    'severity',
    'regex',
    'secret-group',
    'keywords',
    'entropy',
    'path',
    'allow',
];
const ALLOW_KEYS = ['description', 'paths', 'values', 'lines', 'stopwords', 'commits', 'condition'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
class YamlReader {
    file;
    lines = new dist/* LineCounter */.HN();
    constructor(file) {
        this.file = file;
    }
    parse(text) {
        const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: true });
        const [error] = [...doc.errors, ...doc.warnings];
        if (error) {
            const problem = `invalid YAML: ${error.message.split(' at line ')[0].split('\n')[0]}`;
            throw configError(this.file, error.linePos?.[0].line, undefined, problem, 'Fix the YAML syntax');
        }
        return doc.contents;
    }
    line(node) {
        return node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    }
    fail(node, subject, problem, fix) {
        throw configError(this.file, this.line(node), subject, problem, fix);
    }
    /** A map whose keys are all among `allowed`: unknown keys are errors with a suggestion. */
    entries(node, subject, what, allowed) {
        const out = new Map();
        if (node === null)
            return out;
        if (!(0,dist/* isMap */.jh)(node))
            this.fail(node, subject, `${what} must be a map of keys`, `Use ${allowed.join(', ')}`);
        for (const pair of node.items) {
            const keyNode = pair.key;
            const key = (0,dist/* isScalar */.jn)(keyNode) ? String(keyNode.value) : '';
            if (!allowed.includes(key))
                this.fail(keyNode, subject, `unknown key '${key}' in ${what}`, `${didYouMean(key, allowed).trim() || 'Remove it.'} Allowed keys: ${allowed.join(', ')}`);
            out.set(key, { keyNode, value: pair.value });
        }
        return out;
    }
    string(entries, key, subject) {
        const entry = entries.get(key);
        if (!entry || entry.value === null)
            return undefined;
        if (!(0,dist/* isScalar */.jn)(entry.value) || typeof entry.value.value !== 'string')
            this.fail(entry.value, subject, `${key} must be a string`, `Write ${key}: 'text' (quote it)`);
        return entry.value.value;
    }
    number(entries, key, subject, integer = false) {
        const entry = entries.get(key);
        if (!entry || entry.value === null)
            return undefined;
        const value = (0,dist/* isScalar */.jn)(entry.value) ? entry.value.value : undefined;
        if (typeof value !== 'number' ||
            value < 0 ||
            !Number.isFinite(value) ||
            (integer && !Number.isInteger(value)))
            this.fail(entry.value, subject, `${key} must be a ${integer ? 'whole number' : 'number'} of 0 or more`, `Write ${key}: ${integer ? 1 : 3.5}`);
        return value;
    }
    boolean(entries, key, subject) {
        const entry = entries.get(key);
        if (!entry || entry.value === null)
            return undefined;
        if (!(0,dist/* isScalar */.jn)(entry.value) || typeof entry.value.value !== 'boolean')
            this.fail(entry.value, subject, `${key} must be true or false`, `Write ${key}: true`);
        return entry.value.value;
    }
    /** A list of strings; one string alone counts as a list of one. */
    strings(entries, key, subject) {
        const entry = entries.get(key);
        if (!entry || entry.value === null)
            return [];
        const items = (0,dist/* isSeq */.oP)(entry.value) ? entry.value.items : [entry.value];
        return items.map((item) => {
            if (!(0,dist/* isScalar */.jn)(item) || typeof item.value !== 'string' || item.value === '')
                this.fail(item, subject, `${key} must be a list of non-empty strings`, `Write ${key}: ['text', …]`);
            return { value: item.value, node: item };
        });
    }
    /** A JavaScript regex; a leading `(?i)` makes it case-insensitive (JavaScript has no inline flags). */
    regex(source, node, subject, key) {
        const insensitive = source.startsWith('(?i)');
        try {
            return new RegExp(insensitive ? source.slice(4) : source, insensitive ? 'i' : '');
        }
        catch (error) {
            return this.fail(node, subject, `${key} '${source}' is not a valid JavaScript regex (${error.message})`, 'Fix the regex (JavaScript syntax; a leading (?i) makes it case-insensitive)');
        }
    }
    glob(glob, node, subject, key) {
        try {
            return picomatch_default().makeRe(glob, { dot: true });
        }
        catch (error) {
            return this.fail(node, subject, `${key} glob '${glob}' is not valid (${error.message})`, 'Fix the glob');
        }
    }
}
/** Parses our YAML format. `file` names the file in messages (or `options.displayName`). */
function parseImagepipeConfig(text, file, options = {}) {
    const name = options.displayName ?? file;
    const y = new YamlReader(name);
    const root = y.parse(text.replace(/^\uFEFF/, ''));
    const top = y.entries(root, undefined, 'the configuration', TOP_KEYS);
    const rules = [];
    const ruleNodes = top.get('rules')?.value ?? null;
    if (ruleNodes !== null && !(0,dist/* isSeq */.oP)(ruleNodes))
        y.fail(ruleNodes, undefined, 'rules must be a list', 'Write each rule as a list item starting with - id: …');
    for (const node of (0,dist/* isSeq */.oP)(ruleNodes) ? ruleNodes.items : []) {
        const rule = parseRule(y, node, name);
        if (rules.some((r) => r.id === rule.id))
            y.fail(node, `rule '${rule.id}'`, 'this id is defined twice', 'Give each rule its own id');
        rules.push(rule);
    }
    const known = new Set([...BUILTIN_IDS, ...rules.map((r) => r.id)]);
    const ruleId = (id, node, key) => {
        if (!known.has(id))
            y.fail(node, undefined, `${key} names rule '${id}', which is neither built in nor defined here`, didYouMean(id, known).trim() || 'Check the rule id');
        return id;
    };
    const disabledRules = y
        .strings(top, 'disable', undefined)
        .map(({ value, node }) => ruleId(value, node, 'disable'));
    const entropy = {};
    const entropyNode = top.get('entropy')?.value ?? null;
    if (entropyNode !== null) {
        if (!(0,dist/* isMap */.jh)(entropyNode))
            y.fail(entropyNode, undefined, 'entropy must be a map of rule id to a number', 'Write entropy: { generic-secret: 4.2 }');
        for (const pair of entropyNode.items) {
            const id = ruleId(String((0,dist/* isScalar */.jn)(pair.key) ? pair.key.value : ''), pair.key, 'entropy');
            const value = (0,dist/* isScalar */.jn)(pair.value) ? pair.value.value : undefined;
            if (typeof value !== 'number' || value < 0)
                y.fail(pair.value, undefined, `entropy for '${id}' must be a number of 0 or more`, `Write ${id}: 3.5`);
            entropy[id] = value;
        }
    }
    return {
        file: name,
        format: 'imagepipe',
        useDefault: y.boolean(top, 'use-default', undefined) ?? true,
        rules,
        disabledRules,
        allowlists: parseAllows(y, top.get('allow')?.value ?? null, undefined),
        entropy,
        skippedRules: [],
    };
}
function parseRule(y, node, file) {
    const fields = y.entries(node, undefined, 'a rule', RULE_KEYS);
    const id = y.string(fields, 'id', undefined);
    if (id === undefined)
        return y.fail(node, undefined, 'a rule has no id', 'Give it one: - id: acme-api-key');
    if (!KEBAB.test(id))
        y.fail(fields.get('id').value, `rule '${id}'`, 'the id is not kebab-case', 'Use lowercase letters, digits and single hyphens, e.g. acme-api-key');
    const subject = `rule '${id}'`;
    const severity = y.string(fields, 'severity', subject) ?? 'high';
    if (!SEVERITIES.includes(severity))
        y.fail(fields.get('severity').value, subject, `unknown severity '${severity}'`, `Use one of ${SEVERITIES.join(', ')}`);
    const source = y.string(fields, 'regex', subject);
    const glob = y.string(fields, 'path', subject);
    if (source === '')
        y.fail(fields.get('regex').value, subject, 'regex is empty', 'Give the pattern of the secret');
    if (source === undefined && glob === undefined)
        y.fail(node, subject, 'the rule has no regex', 'Add regex: (or path: for a rule that reports files by name alone)');
    const regex = source === undefined ? NEVER : y.regex(source, fields.get('regex').value, subject, 'regex');
    const secretGroup = y.number(fields, 'secret-group', subject, true);
    if (secretGroup !== undefined && secretGroup > (0,engine/* groupCount */.hl)(regex))
        y.fail(fields.get('secret-group').value, subject, `secret-group ${secretGroup} is more than the ${(0,engine/* groupCount */.hl)(regex)} capture groups of the regex`, 'Name an existing group (0 is the whole match)');
    const rule = {
        id,
        title: y.string(fields, 'title', subject) ?? id,
        description: y.string(fields, 'description', subject) ?? `Defined in ${file}.`,
        severity: severity,
        keywords: y.strings(fields, 'keywords', subject).map(({ value }) => value.toLowerCase()),
        regex,
        origin: file,
    };
    if (secretGroup !== undefined)
        rule.secretGroup = secretGroup;
    const entropy = y.number(fields, 'entropy', subject);
    if (entropy !== undefined)
        rule.entropy = entropy;
    if (glob !== undefined)
        rule.path = y.glob(glob, fields.get('path').value, subject, 'path');
    if (source === undefined)
        rule.pathOnly = true;
    const allowlists = parseAllows(y, fields.get('allow')?.value ?? null, subject);
    if (allowlists.length > 0)
        rule.allowlists = allowlists;
    return rule;
}
/** `allow:` — one map, or a list of maps — into allowlists. */
function parseAllows(y, node, subject) {
    if (node === null)
        return [];
    const items = (0,dist/* isSeq */.oP)(node) ? node.items : [node];
    return items.flatMap((item) => parseAllow(y, item, subject));
}
function parseAllow(y, node, subject) {
    const fields = y.entries(node, subject, 'allow', ALLOW_KEYS);
    const condition = (y.string(fields, 'condition', subject) ?? 'or').toUpperCase();
    if (condition !== 'OR' && condition !== 'AND')
        y.fail(fields.get('condition').value, subject, `unknown allow condition '${condition.toLowerCase()}'`, 'Use or (any entry allows) or and (all given kinds must match)');
    const regexes = (key) => y.strings(fields, key, subject).map(({ value, node: n }) => y.regex(value, n, subject, `allow ${key}`));
    const commits = y.strings(fields, 'commits', subject).map(({ value, node: n }) => {
        if (!/^[0-9a-f]{4,40}$/i.test(value))
            y.fail(n, subject, `'${value}' is not a commit SHA`, 'Give 4 to 40 hex digits');
        return value.toLowerCase();
    });
    const description = y.string(fields, 'description', subject);
    const described = description === undefined ? {} : { description };
    const base = {
        ...described,
        condition: condition,
        paths: y
            .strings(fields, 'paths', subject)
            .map(({ value, node: n }) => y.glob(value, n, subject, 'allow paths')),
        stopwords: y.strings(fields, 'stopwords', subject).map(({ value }) => value.toLowerCase()),
        commits,
    };
    const values = regexes('values');
    const lines = regexes('lines');
    if (base.paths.length + base.stopwords.length + commits.length + values.length + lines.length === 0)
        y.fail(node, subject, 'allow is empty', 'Give at least one of paths, values, lines, stopwords, commits');
    if (lines.length === 0)
        return [{ ...base, regexes: values, regexTarget: 'secret' }];
    if (condition === 'AND') {
        // One allowlist has one regex target: with `and`, values and lines cannot both apply.
        if (values.length > 0)
            y.fail(node, subject, 'with condition: and, values and lines cannot be combined', 'Split them into two allow entries');
        return [{ ...base, regexes: lines, regexTarget: 'line' }];
    }
    // With `or` any entry allows: the lines go into an allowlist of their own.
    const lineList = {
        ...described,
        condition: 'OR',
        paths: [],
        regexes: lines,
        regexTarget: 'line',
        stopwords: [],
        commits: [],
    };
    const rest = base.paths.length + base.stopwords.length + commits.length + values.length > 0;
    return rest ? [{ ...base, regexes: values, regexTarget: 'secret' }, lineList] : [lineList];
}

;// CONCATENATED MODULE: ./src/secrets-scan/run-scan.ts
/**
 * One secrets scan as the action and the CLI run it: pick what to scan (the mode), run it with the
 * configured rules, then mark what the baseline accepts. Reports and the gate are the callers'.
 */









const DEFAULT_CONFIG = '.imagepipe/secrets.yaml';
const MODES = ['tree', 'history', 'staged', 'auto'];
/** The configuration file given, or `.imagepipe/secrets.yaml` at the repository's (or folder's) top. */
async function configFor(options) {
    if (options.configFile) {
        const config = await loadSecretsConfig(options.configFile.file, {
            displayName: options.configFile.shown,
        });
        options.reporter.info(`Configuration: ${options.configFile.shown} (${config.format})`);
        return config;
    }
    const folder = external_node_fs_.statSync(options.target).isDirectory() ? options.target : external_node_path_.dirname(options.target);
    const top = await repositoryOf(folder, 'configuration lookup').then((r) => (r.bare ? undefined : r.root), () => undefined);
    for (const dir of new Set([top, folder, options.baseOutsideGit].filter((d) => Boolean(d)))) {
        const candidate = external_node_path_.join(dir, DEFAULT_CONFIG);
        if (external_node_fs_.existsSync(candidate)) {
            const shown = external_node_path_.relative(options.baseOutsideGit ?? dir, candidate)
                .split(external_node_path_.sep)
                .join('/') || DEFAULT_CONFIG;
            options.reporter.info(`Configuration: ${shown}`);
            return loadSecretsConfig(candidate, { displayName: shown });
        }
    }
    return undefined;
}
async function runScan(options) {
    const { reporter } = options;
    const config = await configFor(options);
    const setup = (0,ruleset/* ruleSetup */.Y)(config);
    for (const warning of setup.warnings)
        reporter.warning(warning);
    // Read the baseline first: a corrupt one fails before a long scan, not after.
    const baseline = options.baseline ? readBaseline(options.baseline.file, options.baseline.shown) : undefined;
    const common = {
        setup,
        config,
        maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        budgetMs: options.budgetMs,
        exclude: options.exclude,
        reporter,
    };
    let mode = options.mode === 'auto' ? 'tree' : options.mode;
    let result;
    if (options.mode === 'auto') {
        const { root } = await repositoryOf(options.target, 'mode auto').catch(() => ({ root: undefined }));
        const plan = root ? await planAuto(root, options.env ?? process.env, reporter) : undefined;
        if (!plan || plan.mode === 'tree') {
            reporter.info(`mode auto: ${plan?.reason ?? 'not in a git repository: scanning the files'}`);
            result = await scanTree({ ...common, root: options.target, baseOutsideGit: options.baseOutsideGit });
            result.scope = 'the working tree';
        }
        else if (plan.mode === 'nothing') {
            reporter.info(`mode auto: ${plan.reason}`);
            mode = 'nothing';
            result = {
                base: root,
                findings: [],
                stats: emptyStats('history'),
                rules: setup.rules,
                scope: 'nothing',
            };
        }
        else {
            mode = 'history';
            reporter.info(`mode auto: scanning ${plan.description}`);
            result = await scanHistory({
                ...common,
                repo: root,
                logArgs: plan.logArgs,
                description: plan.description,
                requireCommits: !plan.allowEmpty,
            });
            if (result.stats.commitsScanned === 0)
                reporter.info(`mode auto: ${plan.description} hold no new commit.`);
            result.scope = plan.description;
        }
    }
    else if (options.mode === 'history') {
        result = await scanHistory({ ...common, repo: options.target, logArgs: options.logArgs });
        result.scope = options.logArgs?.length
            ? `git log ${options.logArgs.join(' ')}`
            : 'the history of every ref';
    }
    else if (options.mode === 'staged') {
        result = await scanStaged({ ...common, repo: options.target });
        result.scope = 'the staged changes';
    }
    else {
        result = await scanTree({ ...common, root: options.target, baseOutsideGit: options.baseOutsideGit });
        result.scope = 'the working tree';
    }
    let baselined = 0;
    if (baseline && options.baseline) {
        baselined = applyBaseline(result.findings, baseline, options.baseline.shown);
        reporter.info(`The baseline ${options.baseline.shown} accepted ${text_plural(baselined, 'finding')}.`);
    }
    return { ...result, ranMode: mode, baselined, setup };
}

;// CONCATENATED MODULE: ./src/cli/report-options.ts
/** `--format` and `--output`, the same on every scanning subcommand. */




const FORMATS = ['text', 'json', 'sarif'];
function addReportOptions(command) {
    return command
        .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
        .option('-o, --output <file>', 'write the report to FILE instead of standard output');
}
/** Writes the report where the user asked; the short summary goes to stderr when it is a file. */
function emitReport(io, options, report, summaryLine) {
    if (!options.output) {
        io.stdout(report);
        return;
    }
    const file = external_node_path_.resolve(io.cwd, options.output);
    try {
        external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
        external_node_fs_.writeFileSync(file, report);
    }
    catch (error) {
        throw new UserError(`Could not write the report to ${options.output}: ${error.message}`);
    }
    io.stderr(`${summaryLine}\nReport written to ${options.output}.\n`);
}

;// CONCATENATED MODULE: ./src/cli/secrets-scan.ts
/** `imagepipe secrets-scan [path]`: the action's engine, on a laptop and in the pre-commit hook. */














const collect = (value, previous) => [...previous, ...parseList(value)];
const megabytes = (value) => {
    try {
        return parseInteger('--max-file-size-mb', value, { min: 1, max: 1024 });
    }
    catch {
        throw new InvalidArgumentError('expected a whole number of MiB from 1 to 1024.');
    }
};
function existing(io, flag, file) {
    const absolute = external_node_path_.resolve(io.cwd, file);
    if (!external_node_fs_.existsSync(absolute))
        throw new UserError(`${flag}: no such file: ${file}.`);
    return absolute;
}
function secretsScanCommand(io, setExit) {
    const command = new Command('secrets-scan')
        .summary('find secrets in a folder, its git history or the staged changes')
        .description('Find secrets (cloud keys, tokens, private keys, passwords in URLs) in a folder or file,\n' +
        'in git history (only what each commit added), or in the staged changes (pre-commit).\n' +
        'Inside a git work tree, .gitignore is honoured and tracked files are always scanned.\n' +
        'Paths in reports are relative to the repository root (or to the folder, outside git).\n' +
        'Allow a false positive with an `imagepipe:allow` comment on its line, or a baseline.\n' +
        'Exit codes: 0 no secrets, 1 secrets found, 2 usage, input or internal error.')
        .argument('[path]', 'folder or file to scan (a folder in the repository for history and staged)', '.')
        .addOption(new Option('-m, --mode <mode>', 'tree: the files; history: every commit; staged: the index; auto: from the CI event')
        .choices(MODES)
        .default('tree'))
        .option('--range <range>', 'history: the commits to scan, e.g. main..HEAD (default: every ref)')
        .option('--log-opts <options>', 'history: git log revisions and commit-limiting options, e.g. "--since=2024-01-01 --all"')
        .option('-c, --config <file>', 'rules and allowlists: .imagepipe/secrets.yaml (the default, when present) or a .gitleaks.toml')
        .option('--baseline <file>', 'accept the findings this baseline lists (reported as suppressed)')
        .option('--write-baseline <file>', 'write the current findings to a baseline file and exit 0')
        .option('-e, --exclude <globs>', 'skip paths matching these globs (repeatable, comma-separated)', collect, [])
        .option('--max-file-size-mb <n>', 'skip files larger than this many MiB', megabytes, 10)
        .option('--no-fail', 'report secrets but exit 0')
        .option('-v, --verbose', 'print debug logs');
    addReportOptions(command);
    return command.action(async (target, options) => {
        const root = external_node_path_.resolve(io.cwd, target);
        if (!external_node_fs_.existsSync(root))
            throw new UserError(`No such file or folder: ${target}. Pass a folder or file to scan.`);
        if ((options.range || options.logOpts) && options.mode !== 'history') {
            throw new UserError(`--range and --log-opts choose commits: use them with --mode history.`);
        }
        if (options.cleansePush && !options.cleanse)
            throw new UserError('--cleanse-push needs --cleanse.');
        const logArgs = [
            ...(options.range ? parseLogOpts(options.range, '--range') : []),
            ...(options.logOpts ? parseLogOpts(options.logOpts, '--log-opts') : []),
        ];
        const reporter = consoleReporter({ verbose: options.verbose, write: io.stderr });
        const result = await runScan({
            mode: options.mode,
            target: root,
            logArgs,
            exclude: options.exclude,
            maxFileBytes: options.maxFileSizeMb * 1024 * 1024,
            configFile: options.config
                ? { file: existing(io, '--config', options.config), shown: options.config }
                : undefined,
            baseline: options.baseline
                ? { file: existing(io, '--baseline', options.baseline), shown: options.baseline }
                : undefined,
            env: io.env,
            reporter,
        });
        if (options.writeBaseline) {
            const accepted = result.findings.filter((f) => f.suppression?.kind !== 'inSource');
            const baseline = writeBaseline(external_node_path_.resolve(io.cwd, options.writeBaseline), accepted);
            io.stderr(`Wrote ${text_plural(baseline.findings.length, 'fingerprint')} to ${options.writeBaseline} (no secret is in it). ` +
                `Commit it and pass it with --baseline (the action's 'baseline' input); revoke those secrets all the same.\n`);
            setExit(EXIT.passed);
            return;
        }
        const report = options.format === 'sarif'
            ? `${JSON.stringify(toSarif(result), null, 2)}\n`
            : options.format === 'json'
                ? `${JSON.stringify(toJson(result), null, 2)}\n`
                : toText(result);
        emitReport(io, options, report, countLine(result));
        const failing = unsuppressed(result.findings).length;
        if (options.cleanse && failing > 0) {
            const cleansed = await cleanseFindings({
                repo: root,
                findings: result.findings,
                setup: result.setup,
                push: Boolean(options.cleansePush),
                reporter,
            });
            if (cleansed)
                io.stderr(`${cleanseText(cleansed)}\n`);
        }
        setExit(failing > 0 && (options.fail || options.cleanse) ? EXIT.gateFailed : EXIT.passed);
    });
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/**
 * The imagepipe CLI: one subcommand per capability, the same engines as the actions.
 * Exit codes: 0 passed, 1 the gate failed, 2 usage, configuration or input error (and the rare internal
 * failure, which is never reported as a failed gate).
 */






function buildProgram(io, setExit) {
    const program = new Command('imagepipe')
        .description('Scan, test, build and publish machine and container images: the same engines as the imagepipe actions.')
        .version(VERSION, '-V, --version')
        .showHelpAfterError('(run with --help for usage)')
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
        .exitOverride();
    for (const command of [secretsScanCommand(io, setExit), installHooksCommand(io, setExit)]) {
        program.addCommand(command
            .exitOverride()
            .showHelpAfterError('(run with --help for usage)')
            .configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
    }
    return program;
}
/** Runs the CLI and returns its exit code; never calls process.exit. */
async function main(argv, io = processIo()) {
    let code = EXIT.passed;
    const program = buildProgram(io, (c) => (code = c));
    try {
        await program.parseAsync(argv, { from: 'user' });
        return code;
    }
    catch (error) {
        if (error instanceof CommanderError) {
            // --help and --version end here too, with exit code 0.
            return error.exitCode === 0 ? EXIT.passed : EXIT.usage;
        }
        if (isUserError(error)) {
            io.stderr(`error: ${error.message}\n`);
            return EXIT.usage;
        }
        io.stderr(`error: unexpected failure: ${errorMessage(error)}\n`);
        if (io.env.IMAGEPIPE_DEBUG && error instanceof Error)
            io.stderr(`${error.stack}\n`);
        return EXIT.usage;
    }
}


/***/ }),

/***/ 2347:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  nb: () => (/* binding */ compileRules),
  hl: () => (/* binding */ groupCount),
  nx: () => (/* binding */ scanContent)
});

// UNUSED EXPORTS: INLINE_ALLOW_HELP, allows, fingerprint, guessable, prefilter, redact

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/secrets-scan/keywords.ts
/**
 * The prefilter's keyword search: which of many lowercase keywords occur in a text, ignoring case,
 * in one pass over the text and without a lowercased copy of it.
 *
 * An Aho-Corasick automaton over UTF-16 code units. ASCII, nearly all of what is scanned, goes
 * through a dense transition table whose columns are the ASCII characters the keywords use
 * (case-folded: `A` and `a` share a column, every other character shares column 0); anything else
 * takes a slower path that lowercases the character. The answer is exactly the one
 * `text.toLowerCase().includes(keyword)` gives for every keyword, including where lowercasing is
 * not one character for one:
 * - `İ` (U+0130) lowercases to two code units, `i` and U+0307: both are fed to the automaton.
 * - `K` (the Kelvin sign, U+212A) lowercases to ASCII `k`.
 * - `Σ` lowercases to `ς` at the end of a word and `σ` elsewhere. It is fed as `σ`; when the text
 *   holds a `Σ`, the keywords containing `σ` or `ς` (none of the built-in ones) are checked again
 *   on the lowercased text, so the answer stays exact at the cost of that copy.
 * - A surrogate pair is lowercased as one code point (Deseret, Osage, Adlam… stay astral); a lone
 *   surrogate is left as it is, as `toLowerCase` does.
 * These are all the cases where lowercasing a whole string differs from lowercasing each code
 * unit alone (`toLowerCase` with no locale, checked over every code point by the tests).
 *
 * Built once per rule set (a few hundred keywords take about a millisecond) and reused for
 * every text; `matchAll` keeps no state between calls that could change an answer.
 */
/** The start state, where a code unit that no keyword contains leads from any state. */
const ROOT = 0;
const LATIN_CAPITAL_I_WITH_DOT = 0x130;
const COMBINING_DOT_ABOVE = 0x307;
const GREEK_CAPITAL_SIGMA = 0x3a3;
const GREEK_SMALL_SIGMA = 0x3c3;
/** Lowercase of each BMP code unit alone, filled as characters are met (0: not yet known). */
const lowerCache = new Uint16Array(0x10000);
/** Lowercase of astral code points, as two code units packed in one number. */
const astralCache = new Map();
function lowerUnit(c) {
    let l = lowerCache[c];
    if (l === 0) {
        l = String.fromCharCode(c).toLowerCase().charCodeAt(0);
        lowerCache[c] = l;
    }
    return l;
}
function lowerAstral(high, low) {
    const key = (high << 16) | low;
    let packed = astralCache.get(key);
    if (packed === undefined) {
        const l = String.fromCharCode(high, low).toLowerCase();
        packed = (l.charCodeAt(0) << 16) | l.charCodeAt(1);
        astralCache.set(key, packed);
    }
    return packed;
}
class KeywordMatcher {
    /** The keywords as given, in order. */
    keywords;
    /** Distinct lowercased keywords; `ids[i]` is the distinct id of `keywords[i]`. */
    distinct = [];
    ids;
    /** Column of each ASCII code unit in `delta` (case-folded; 0 for units in no keyword). */
    column = new Uint8Array(128);
    width;
    /**
     * The transitions, failure links already followed, addressed by row offset (`state * width`) so
     * the hot loop needs no multiplication: `delta[offset + column]` is the next state's offset, or
     * its bitwise complement (negative) when some keyword ends in that state.
     */
    delta;
    /** Per state: whether a keyword ends here. */
    hasOutput;
    /**
     * Per text, numbered by `epoch`: a state whose keywords were reported and a keyword seen carry
     * the text's number, so nothing is cleared or allocated between texts (most are small files).
     */
    epoch = 0;
    reportedAt;
    seenAt;
    outStart;
    outIds;
    nodes;
    /** Whether some keyword has a code unit outside ASCII: only then do such units need transitions. */
    wide;
    /** Distinct ids of the keywords with `σ` or `ς`, whose answer depends on a word's end. */
    sigma = [];
    empty = [];
    constructor(keywords) {
        this.keywords = [...keywords];
        this.ids = new Int32Array(keywords.length);
        const byText = new Map();
        keywords.forEach((keyword, i) => {
            if (typeof keyword !== 'string')
                throw new TypeError(`Keyword ${i} is not a string`);
            const k = keyword.toLowerCase();
            let id = byText.get(k);
            if (id === undefined) {
                id = this.distinct.length;
                byText.set(k, id);
                this.distinct.push(k);
            }
            this.ids[i] = id;
        });
        const nodes = [{ next: new Map(), fail: ROOT, out: [] }];
        let wide = false;
        this.distinct.forEach((k, id) => {
            if (k === '')
                return this.empty.push(id);
            if (/[σς]/.test(k))
                this.sigma.push(id);
            let s = ROOT;
            for (let i = 0; i < k.length; i++) {
                const c = k.charCodeAt(i);
                if (c >= 128)
                    wide = true;
                let t = nodes[s].next.get(c);
                if (t === undefined) {
                    t = nodes.length;
                    nodes.push({ next: new Map(), fail: ROOT, out: [] });
                    nodes[s].next.set(c, t);
                }
                s = t;
            }
            nodes[s].out.push(id);
        });
        this.wide = wide;
        // Breadth first, so a node's failure target (a shorter suffix) is finished before it.
        const order = [];
        const queue = [ROOT];
        for (let q = 0; q < queue.length; q++) {
            const s = queue[q];
            order.push(s);
            for (const [c, t] of nodes[s].next) {
                if (s !== ROOT) {
                    let f = nodes[s].fail;
                    while (f !== ROOT && !nodes[f].next.has(c))
                        f = nodes[f].fail;
                    const target = nodes[f].next.get(c);
                    nodes[t].fail = target !== undefined && target !== t ? target : ROOT;
                    nodes[t].out.push(...nodes[nodes[t].fail].out);
                }
                queue.push(t);
            }
        }
        this.nodes = nodes;
        // Columns: one per ASCII code unit a keyword uses; an uppercase letter shares its lowercase's.
        const unitOf = [0];
        for (const k of this.distinct)
            for (let i = 0; i < k.length; i++) {
                const c = k.charCodeAt(i);
                if (c < 128 && this.column[c] === 0)
                    this.column[c] = unitOf.push(c) - 1;
            }
        for (let c = 65; c <= 90; c++)
            this.column[c] = this.column[c + 32];
        const width = unitOf.length;
        this.width = width;
        const next = new Int32Array(nodes.length * width);
        for (const s of order) {
            const node = nodes[s];
            for (let col = 1; col < width; col++) {
                const t = node.next.get(unitOf[col]);
                next[s * width + col] = t !== undefined ? t : s === ROOT ? ROOT : next[node.fail * width + col];
            }
        }
        this.delta = next.map((t) => (nodes[t].out.length > 0 ? ~(t * width) : t * width));
        this.hasOutput = new Uint8Array(nodes.length);
        this.outStart = new Int32Array(nodes.length + 1);
        const outIds = [];
        nodes.forEach((node, s) => {
            this.outStart[s] = outIds.length;
            outIds.push(...node.out);
            this.hasOutput[s] = node.out.length > 0 ? 1 : 0;
        });
        this.outStart[nodes.length] = outIds.length;
        this.outIds = Int32Array.from(outIds);
        this.reportedAt = new Uint32Array(nodes.length);
        this.seenAt = new Uint32Array(this.distinct.length);
    }
    /**
     * Which keywords occur in `text`, ignoring case: `result[i]` is 1 when `keywords[i]` does, as
     * `text.toLowerCase().includes(keywords[i].toLowerCase())` would say. Stops reading as soon as
     * every keyword has been seen. An empty keyword occurs in every text.
     */
    matchAll(text) {
        if (this.epoch === 0xffffffff) {
            this.epoch = 0;
            this.reportedAt.fill(0);
            this.seenAt.fill(0);
        }
        const epoch = ++this.epoch;
        let remaining = this.distinct.length;
        for (const id of this.empty) {
            this.seenAt[id] = epoch;
            remaining--;
        }
        if (remaining > 0)
            this.scan(text, remaining);
        if (this.sigma.length > 0 && text.includes('\u03a3')) {
            const lower = text.toLowerCase();
            for (const id of this.sigma)
                this.seenAt[id] = lower.includes(this.distinct[id]) ? epoch : 0;
        }
        const result = new Uint8Array(this.keywords.length);
        for (let i = 0; i < result.length; i++)
            result[i] = this.seenAt[this.ids[i]] === epoch ? 1 : 0;
        return result;
    }
    /** The one pass, until the end of the text or until no keyword is left unseen. */
    scan(text, remaining) {
        const { column, delta, width, hasOutput, reportedAt, epoch } = this;
        const n = text.length;
        // The current state's row offset; `t` is the state itself, computed only when needed.
        let s = 0;
        let t;
        for (let i = 0; i < n; i++) {
            const c = text.charCodeAt(i);
            if (c < 128) {
                s = delta[s + column[c]];
                if (s >= 0)
                    continue;
                s = ~s;
                t = s / width;
            }
            else {
                // Lowercase the character: one or two code units in, one or two out.
                let first;
                let second = -1;
                const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
                if (c === LATIN_CAPITAL_I_WITH_DOT) {
                    first = 0x69;
                    second = COMBINING_DOT_ABOVE;
                }
                else if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
                    const packed = lowerAstral(c, d);
                    first = packed >>> 16;
                    second = packed & 0xffff;
                    i++;
                }
                else {
                    first = c === GREEK_CAPITAL_SIGMA ? GREEK_SMALL_SIGMA : lowerUnit(c);
                }
                t = this.step(s / width, first);
                if (second >= 0) {
                    if (hasOutput[t] !== 0 && reportedAt[t] !== epoch && (remaining = this.report(t, remaining)) === 0)
                        return;
                    t = this.step(t, second);
                }
                s = t * width;
                if (hasOutput[t] === 0)
                    continue;
            }
            if (reportedAt[t] !== epoch && (remaining = this.report(t, remaining)) === 0)
                return;
        }
    }
    /** Marks the keywords ending in state `t` as seen; returns how many are still unseen. */
    report(t, remaining) {
        const epoch = this.epoch;
        this.reportedAt[t] = epoch;
        for (let o = this.outStart[t]; o < this.outStart[t + 1]; o++) {
            const id = this.outIds[o];
            if (this.seenAt[id] !== epoch) {
                this.seenAt[id] = epoch;
                remaining--;
            }
        }
        return remaining;
    }
    /**
     * One transition on an already lowercased code unit. A unit outside ASCII follows the trie's
     * failure links; with ASCII-only keywords it ends every partial match.
     */
    step(s, unit) {
        if (unit < 128) {
            const offset = this.delta[s * this.width + this.column[unit]];
            return (offset < 0 ? ~offset : offset) / this.width;
        }
        if (!this.wide)
            return ROOT;
        for (;;) {
            const t = this.nodes[s].next.get(unit);
            if (t !== undefined)
                return t;
            if (s === ROOT)
                return ROOT;
            s = this.nodes[s].fail;
        }
    }
}

// EXTERNAL MODULE: ./src/secrets-scan/placeholders.ts
var placeholders = __nccwpck_require__(1771);
;// CONCATENATED MODULE: ./src/secrets-scan/engine.ts
/**
 * The secrets engine: text in, findings out. Rules are compiled once; a file only meets the rules
 * whose keywords it contains (the prefilter that makes gitleaks fast), and a regex runs over the
 * whole file (a private key spans lines) with `g`, `m` and `d` added, so the exact column of the
 * secret's capture group is known.
 */



/** Capture groups of a regex. */
function groupCount(regex) {
    // A regex that matches the empty string tells us how many groups it has.
    return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, '')).exec('').length - 1;
}
/**
 * Checks and compiles rules. A malformed rule is a programming error in its definition (configured
 * rules are checked when their file is loaded).
 */
function compileRules(rules, allowlists = []) {
    const seen = new Set();
    const compiled = [];
    const keywords = new Map();
    const unfiltered = [];
    for (const rule of rules) {
        if (seen.has(rule.id))
            throw new Error(`Duplicate secret rule id ${rule.id}`);
        seen.add(rule.id);
        if (rule.keywords.length === 0)
            unfiltered.push(compiled.length);
        const flags = `${[...new Set(rule.regex.flags.replace(/[gy]/g, '') + 'gmd')].join('')}`;
        const regex = new RegExp(rule.regex.source, flags);
        const secretGroup = rule.secretGroup ?? (groupCount(rule.regex) > 0 ? 1 : 0);
        const index = compiled.length;
        compiled.push({ rule, regex, secretGroup });
        for (const keyword of rule.keywords) {
            const k = keyword.toLowerCase();
            keywords.set(k, [...(keywords.get(k) ?? []), index]);
        }
    }
    return {
        rules: compiled,
        keywords,
        matcher: new KeywordMatcher([...keywords.keys()]),
        enables: [...keywords.values()],
        unfiltered,
        allowlists: [...allowlists],
    };
}
/** The rules whose keywords occur in the text (and the rules without keywords), in rule order. */
function prefilter(text, set) {
    const found = set.matcher.matchAll(text);
    const active = new Uint8Array(set.rules.length);
    for (const i of set.unfiltered)
        active[i] = 1;
    for (let k = 0; k < found.length; k++) {
        if (found[k])
            for (const i of set.enables[k])
                active[i] = 1;
    }
    const rules = [];
    for (let i = 0; i < active.length; i++)
        if (active[i])
            rules.push(set.rules[i]);
    return rules;
}
/**
 * What may be shown of a secret: its length, and its type marker when its rule says the secret
 * starts with a public one (`ghp_`, `AKIA`, `xoxb-`): that tells the reader what leaked. Nothing
 * else: a password's or a raw key's first characters are secret material.
 */
function redact(secret, rule) {
    let shown = 0;
    if (rule?.publicPrefix) {
        const lower = secret.toLowerCase();
        for (const k of rule.keywords)
            if (k.length >= 3 && lower.startsWith(k))
                shown = Math.max(shown, k.length);
    }
    return `${secret.slice(0, Math.min(shown, 12, Math.floor(secret.length / 2)))}…(${secret.length} chars)`;
}
/** Above this length a secret without a public prefix is a key body (PEM, base64), not a password. */
const PASSWORD_MAX_LENGTH = 64;
const digests = new Map();
/** Whether a rule's secret could be a password someone chose (and so be in a dictionary). */
function guessable(rule, secret) {
    return !rule.publicPrefix && secret.length <= PASSWORD_MAX_LENGTH;
}
/**
 * A digest of the secret that does not hand out a cheap password check. A token with a public
 * format (`ghp_` + 36 random characters) is hashed with SHA-256, which no dictionary reverses.
 * Anything that could be a chosen password (every rule without a public prefix, up to 64
 * characters: long passphrases included) is first stretched with scrypt (N=2^12, r=8: about 8 ms
 * here) salted by rule and path, so testing a dictionary against a published fingerprint costs
 * 8 ms per guess per fingerprint instead of nanoseconds. Digests are cached per salt and secret.
 */
function secretDigest(secret, salt, stretch) {
    if (!stretch)
        return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(secret).digest();
    const key = `${salt}\0${secret}`;
    let digest = digests.get(key);
    if (!digest) {
        digest = (0,external_node_crypto_namespaceObject.scryptSync)(secret, salt, 32, { N: 2 ** 12, r: 8, p: 1 });
        digests.set(key, digest);
    }
    return digest;
}
/** rule + path + a digest of the secret: survives line shifts, changes with a new secret. */
function fingerprint(ruleId, path, secret, stretch = true) {
    const salt = `imagepipe/v1\0${ruleId}\0${path}`;
    return (0,external_node_crypto_namespaceObject.createHash)('sha256')
        .update(salt)
        .update(secretDigest(secret, salt, stretch))
        .digest('hex')
        .slice(0, 32);
}
function lineStarts(text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
        starts.push(i + 1);
    return starts;
}
/** 1-based line and column of an offset, by binary search over the line starts. */
function position(starts, offset) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
}
/** Whether a match is a real secret: present, not a placeholder, random enough, structurally valid. */
function accept(rule, secret) {
    if (secret.length === 0 || (0,placeholders/* isPlaceholder */.w)(secret))
        return false;
    if (rule.entropy !== undefined && (0,placeholders/* shannonEntropy */.l)(secret) < rule.entropy)
        return false;
    if (rule.validate && !rule.validate(secret))
        return false;
    return true;
}
/** Whether an allowlist allows the candidate (gitleaks' semantics: OR of criteria, or AND of those given). */
function allows(list, c) {
    const target = list.regexTarget === 'match' ? c.match : list.regexTarget === 'line' ? c.line : c.secret;
    const lowerSecret = c.secret.toLowerCase();
    const checks = [];
    if (list.commits.length > 0)
        checks.push(c.commit !== undefined && list.commits.some((sha) => c.commit.startsWith(sha)));
    if (list.paths.length > 0)
        checks.push(list.paths.some((re) => testRegex(re, c.path)));
    if (list.regexes.length > 0)
        checks.push(list.regexes.some((re) => testRegex(re, target)));
    if (list.stopwords.length > 0)
        checks.push(list.stopwords.some((w) => lowerSecret.includes(w)));
    if (checks.length === 0)
        return false;
    return list.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}
function testRegex(re, text) {
    re.lastIndex = 0;
    return re.test(text);
}
/** Whether the path alone allows everything in a file: an OR allowlist one of whose paths matches. */
function pathAllowed(lists, path) {
    return (lists ?? []).some((l) => l.condition === 'OR' && l.paths.some((re) => testRegex(re, path)));
}
/**
 * Inline markers that allow the secrets on their line, ours and the ones teams migrating from
 * gitleaks, trufflehog and detect-secrets already have in their code. `imagepipe:allow-next-line`
 * (and detect-secrets' `pragma: allowlist nextline secret`) on the line before allow a line that
 * cannot hold a comment, such as inside a PEM block's first line.
 */
const ALLOW_MARKER = /imagepipe:allow(?!-next-line)|gitleaks:allow|trufflehog:ignore|pragma:[^\S\r\n]*allowlist[^\S\r\n]+secret/i;
const ALLOW_NEXT_MARKER = /imagepipe:allow-next-line|pragma:[^\S\r\n]*allowlist[^\S\r\n]+nextline[^\S\r\n]+secret/i;
const INLINE_ALLOW_HELP = 'add an `imagepipe:allow` comment on its line (or `imagepipe:allow-next-line` on the line before)';
function lineAt(text, starts, line) {
    const start = starts[line - 1];
    if (start === undefined)
        return '';
    const end = starts[line] ?? text.length + 1;
    return text.slice(start, end - 1);
}
/**
 * Scans one file's text. `path` is carried into the findings and matched by path rules and
 * allowlists. When two rules match the same span, the first in rule order (the more specific one)
 * wins. Findings allowed inline are returned with a `suppression`; allowlisted ones are dropped
 * (and counted).
 */
function scanContent(content, path, set, options = {}) {
    // A byte-order mark is not a column: drop it so line 1's columns match what editors show.
    const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
    const { commit, lineMap, counts } = options;
    if (pathAllowed(set.allowlists, path)) {
        if (counts)
            counts.allowlisted++;
        return [];
    }
    const active = prefilter(text, set);
    if (active.length === 0)
        return [];
    const deadline = options.budgetMs === undefined ? Infinity : performance.now() + options.budgetMs;
    let starts;
    const claimed = new Set();
    const findings = [];
    const origin = options.origin ?? { line: 1, column: 0 };
    const reported = (line) => (lineMap ? (lineMap[line - 1] ?? line) : line + origin.line - 1);
    const column = (line, col) => (line === 1 ? col + origin.column : col);
    const push = (rule, secret, from, to, match) => {
        starts ??= lineStarts(text);
        const start = position(starts, from);
        const end = position(starts, to);
        const lineText = lineAt(text, starts, start.line);
        const candidate = { path, secret, match, line: lineText, commit: commit?.sha };
        if (set.allowlists.some((l) => allows(l, candidate)) ||
            (rule.allowlists ?? []).some((l) => allows(l, candidate))) {
            if (counts)
                counts.allowlisted++;
            return;
        }
        const finding = {
            ruleId: rule.id,
            path,
            line: reported(start.line),
            column: column(start.line, start.column),
            endLine: reported(end.line),
            endColumn: column(end.line, end.column),
            secret,
            redacted: rule.pathOnly ? secret : redact(secret, rule),
            fingerprint: fingerprint(rule.id, path, secret, !rule.pathOnly && guessable(rule, secret)),
        };
        if (commit)
            finding.commit = commit;
        const suppression = inlineSuppression(text, starts, start.line, end.line);
        if (suppression)
            finding.suppression = suppression;
        findings.push(finding);
    };
    for (const { rule, regex, secretGroup } of active) {
        if (performance.now() > deadline) {
            if (counts)
                counts.overBudget++;
            break;
        }
        if (rule.path && !testRegex(rule.path, path))
            continue;
        if (pathAllowed(rule.allowlists, path))
            continue;
        if (rule.pathOnly) {
            const firstLine = text.indexOf('\n') === -1 ? text.length : text.indexOf('\n');
            push(rule, path, 0, firstLine, '');
            continue;
        }
        regex.lastIndex = 0;
        let n = 0;
        for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
            if (m[0].length === 0)
                regex.lastIndex++;
            if (++n % 256 === 0 && performance.now() > deadline)
                break;
            const secret = m[secretGroup];
            const span = m.indices?.[secretGroup];
            if (secret === undefined || !span || !accept(rule, secret))
                continue;
            const key = `${span[0]}:${span[1]}`;
            if (claimed.has(key))
                continue;
            claimed.add(key);
            push(rule, secret, span[0], span[1], m[0]);
        }
    }
    return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
function inlineSuppression(text, starts, first, last) {
    for (let line = first; line <= last; line++) {
        const marker = ALLOW_MARKER.exec(lineAt(text, starts, line));
        if (marker)
            return { kind: 'inSource', justification: `allowed inline with ${marker[0]}` };
    }
    const marker = first > 1 ? ALLOW_NEXT_MARKER.exec(lineAt(text, starts, first - 1)) : null;
    if (marker)
        return { kind: 'inSource', justification: `allowed inline with ${marker[0]} on the line before` };
    return undefined;
}


/***/ }),

/***/ 399:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  WN: () => (/* binding */ scanFile),
  NO: () => (/* binding */ scanFileSync)
});

// UNUSED EXPORTS: STREAM_THRESHOLD, isBinary, scanBuffer, scanLargeFileSync

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
// EXTERNAL MODULE: ./src/secrets-scan/engine.ts + 2 modules
var engine = __nccwpck_require__(2347);
;// CONCATENATED MODULE: ./src/secrets-scan/file-scan.ts
/**
 * One file of a tree scan: checked, read, classified (binary, too large, unreadable) and scanned.
 * The same code runs in the main thread and in the scan workers (workers.ts).
 */



/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
function isBinary(buffer) {
    return buffer.subarray(0, 8000).includes(0);
}
function scanBuffer(buffer, job, set) {
    if (isBinary(buffer))
        return { kind: 'binary' };
    const counts = { allowlisted: 0, overBudget: 0 };
    const findings = (0,engine/* scanContent */.nx)(buffer.toString('utf8'), job.rel, set, { budgetMs: job.budgetMs, counts });
    return {
        kind: 'scanned',
        bytes: buffer.length,
        findings,
        allowlisted: counts.allowlisted,
        overBudget: counts.overBudget > 0,
    };
}
/** Files above this size are read and scanned in windows, never held whole. */
const STREAM_THRESHOLD = 4 * 1024 * 1024;
const WINDOW_BYTES = 2 * 1024 * 1024;
/** Each window rescans up to this much of the previous one: no secret spans more (a PEM key is ~3 KiB). */
const OVERLAP_CHARS = 64 * 1024;
/**
 * Scans a large file window by window. Each window starts with the last lines of the one before
 * (at most OVERLAP_CHARS), so a secret cut by a window's end is found whole in the next;
 * findings seen twice in the overlap are kept once. Lines and columns are counted across windows.
 */
function scanLargeFileSync(job, set) {
    const fd = external_node_fs_.openSync(job.file, 'r');
    try {
        const decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
        const buffer = Buffer.alloc(WINDOW_BYTES);
        const deadline = performance.now() + job.budgetMs;
        const counts = { allowlisted: 0, overBudget: 0 };
        const findings = [];
        const seen = new Set();
        let carry = '';
        let origin = { line: 1, column: 0 };
        let bytes = 0;
        for (let first = true;; first = false) {
            const n = external_node_fs_.readSync(fd, buffer, 0, WINDOW_BYTES, null);
            if (first && isBinary(buffer.subarray(0, n)))
                return { kind: 'binary' };
            bytes += n;
            const text = carry + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
            const budgetMs = deadline - performance.now();
            for (const f of (0,engine/* scanContent */.nx)(text, job.rel, set, { origin, budgetMs, counts })) {
                const key = `${f.ruleId}:${f.line}:${f.column}`;
                if (seen.has(key))
                    continue;
                seen.add(key);
                findings.push(f);
            }
            if (n === 0 || counts.overBudget > 0)
                break;
            // The next window starts at the first line start in the last OVERLAP_CHARS (mid-line only
            // when that last stretch is one long line).
            const from = Math.max(0, text.length - OVERLAP_CHARS);
            const newline = text.indexOf('\n', from);
            const cut = newline === -1 || newline + 1 >= text.length ? from : newline + 1;
            const skipped = text.slice(0, cut);
            const lines = skipped.split('\n').length - 1;
            origin =
                lines === 0
                    ? { line: origin.line, column: origin.column + cut }
                    : { line: origin.line + lines, column: cut - (skipped.lastIndexOf('\n') + 1) };
            carry = text.slice(cut);
        }
        return {
            kind: 'scanned',
            bytes,
            findings,
            allowlisted: counts.allowlisted,
            overBudget: counts.overBudget > 0,
        };
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
function failed(error) {
    if (error.code === 'ENOENT')
        return { kind: 'skipped' };
    return { kind: 'unreadable', message: error.message };
}
function scanFileSync(job, set) {
    try {
        const stat = external_node_fs_.lstatSync(job.file);
        if (!stat.isFile())
            return { kind: 'skipped' };
        if (stat.size > job.maxBytes)
            return { kind: 'too-large', size: stat.size };
        if (stat.size > STREAM_THRESHOLD)
            return scanLargeFileSync(job, set);
        return scanBuffer(external_node_fs_.readFileSync(job.file), job, set);
    }
    catch (error) {
        return failed(error);
    }
}
async function scanFile(job, set) {
    let buffer;
    try {
        const stat = await external_node_fs_.promises.lstat(job.file);
        if (!stat.isFile())
            return { kind: 'skipped' };
        if (stat.size > job.maxBytes)
            return { kind: 'too-large', size: stat.size };
        if (stat.size > STREAM_THRESHOLD)
            return scanLargeFileSync(job, set);
        buffer = await external_node_fs_.promises.readFile(job.file);
    }
    catch (error) {
        return failed(error);
    }
    return scanBuffer(buffer, job, set);
}


/***/ }),

/***/ 1771:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ shannonEntropy),
/* harmony export */   w: () => (/* binding */ isPlaceholder)
/* harmony export */ });
/**
 * Values that look like secrets but are not: documentation examples, template variables and
 * filler. Checked on the secret itself (not the whole line), after a rule matched.
 */
const TEMPLATED = [
    /\$\{[^}]*\}/, // ${VAR}, ${{ secrets.X }}
    /\$\([A-Za-z_][\w .:-]*\)/, // $(VAR), $(shell cmd): a name inside, not random punctuation
    /\{\{[^}]*\}\}/, // {{ var }}, {{ .Values.x }}
    /\{%[^%]*%\}/, // {% … %}
    /<[^<>\s]+>/, // <your-token>
    /%\([A-Za-z_]\w*\)[sd]/, // %(name)s
    /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
    /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
    /^\{[A-Za-z_][A-Za-z0-9_]*\}$/, // {var}
];
const FILLER = [
    /example/i, // AKIAIOSFODNN7EXAMPLE, …EXAMPLEKEY
    /x{5,}/i, // xxxxx
    /\*{4,}/, // ****
    /\.{3,}|…/, // ...
    /#{4,}/,
    /0{8,}/,
    /(.)\1{7,}/, // one character repeated
    /1234567|abcdefg/i,
    /(?:^|[^a-z])(?:your|my)[-_ .]?(?:aws[-_ .]?|api[-_ .]?|access[-_ .]?|secret[-_ .]?)*(?:key|token|secret|password|pass)/i,
    /change[-_]?me|placeholder|redacted|dummy|sample|replace[-_]?me|insert[-_ ]|fixme|todo/i,
];
/**
 * Long or multi-line secrets (private keys, certificates' keys, PGP blocks) are base64 bodies in
 * which runs like `AAAAAAAA`, `todo` or `<name@mail>` occur by nature or by chance: for them only
 * the unmistakable markers count.
 */
const LONG_SECRET_MARKERS = [/example/i, /\.{3,}|…/, /\$\{[^}]*\}/, /\{\{[^}]*\}\}/];
const LONG_SECRET = 100;
function isPlaceholder(secret) {
    if (secret.length > LONG_SECRET || secret.includes('\n')) {
        return LONG_SECRET_MARKERS.some((re) => re.test(secret));
    }
    return TEMPLATED.some((re) => re.test(secret)) || FILLER.some((re) => re.test(secret));
}
/** Shannon entropy in bits per character. */
function shannonEntropy(text) {
    if (text.length === 0)
        return 0;
    const counts = new Map();
    for (const ch of text)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let entropy = 0;
    const n = [...text].length;
    for (const count of counts.values()) {
        const p = count / n;
        entropy -= p * Math.log2(p);
    }
    return entropy;
}


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Y: () => (/* binding */ BUILTIN_RULES)
});

;// CONCATENATED MODULE: ./src/secrets-scan/rules/ai.ts
const AI_RULES = [
    {
        id: 'huggingface-token',
        title: 'Hugging Face user access token',
        description: 'A Hugging Face user access token (`hf_`): it reads private models and datasets and, with write ' +
            'access, pushes to them (a poisoned model). Invalidate it at huggingface.co → Settings → Access Tokens.',
        severity: 'high',
        keywords: ['hf_'],
        publicPrefix: true,
        regex: /\b(hf_[A-Za-z]{34})\b/,
        entropy: 4,
    },
    {
        id: 'huggingface-org-token',
        title: 'Hugging Face organization API token',
        description: 'A legacy Hugging Face organization API token (`api_org_`): it acts for the organization on ' +
            'its models and datasets. Invalidate it in the organization’s settings on huggingface.co.',
        severity: 'high',
        keywords: ['api_org_'],
        publicPrefix: true,
        regex: /\b(api_org_[A-Za-z]{34})\b/,
        entropy: 4,
    },
    {
        id: 'replicate-api-token',
        title: 'Replicate API token',
        description: 'A Replicate API token (`r8_`): it runs models billed to the account and reads its predictions. ' +
            'Disable it at replicate.com → Account → API tokens.',
        severity: 'high',
        keywords: ['r8_'],
        publicPrefix: true,
        regex: /\b(r8_[A-Za-z0-9]{37})\b/,
        entropy: 3.5,
    },
    {
        id: 'groq-api-key',
        title: 'Groq API key',
        description: 'A Groq API key (`gsk_`): it runs inference billed to the organization. Delete it at ' +
            'console.groq.com → API Keys.',
        severity: 'high',
        keywords: ['gsk_'],
        publicPrefix: true,
        regex: /\b(gsk_[A-Za-z0-9]{52})\b/,
        entropy: 3.5,
    },
    {
        id: 'perplexity-api-key',
        title: 'Perplexity API key',
        description: 'A Perplexity API key (`pplx-`): it runs queries billed to the account’s credits. Delete it at ' +
            'perplexity.ai → Settings → API.',
        severity: 'high',
        keywords: ['pplx-'],
        publicPrefix: true,
        regex: /\b(pplx-[A-Za-z0-9]{48})\b/,
        entropy: 3.5,
    },
    {
        id: 'xai-api-key',
        title: 'xAI API key',
        description: 'An xAI (Grok) API key (`xai-`): it runs inference billed to the team. Delete it at ' +
            'console.x.ai → API Keys.',
        severity: 'high',
        keywords: ['xai-'],
        publicPrefix: true,
        regex: /\b(xai-[A-Za-z0-9]{80})\b/,
        entropy: 3.5,
    },
    {
        id: 'langsmith-api-key',
        title: 'LangSmith API key',
        description: 'A LangSmith personal access token (`lsv2_pt_`) or service key (`lsv2_sk_`): it reads the ' +
            'traces (prompts and outputs) of the workspace and writes new ones. Delete it in LangSmith → ' +
            'Settings → API Keys.',
        severity: 'high',
        keywords: ['lsv2_pt_', 'lsv2_sk_'],
        publicPrefix: true,
        regex: /\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b/,
        entropy: 3,
    },
    {
        id: 'openrouter-api-key',
        title: 'OpenRouter API key',
        description: 'An OpenRouter API key (`sk-or-v1-`): it spends the account’s credits on any routed model. ' +
            'Delete it at openrouter.ai → Keys.',
        severity: 'high',
        keywords: ['sk-or-v1-'],
        publicPrefix: true,
        regex: /\b(sk-or-v1-[a-f0-9]{64})\b/,
        entropy: 3,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/helpers.ts
/** Building blocks shared by the rule families (see `../rules.ts` for how the engine runs rules). */
/**
 * Between a name and its value: `=`, `:`, `:=` or `=>`, optionally closing the name's quote (and
 * its bracket) before and opening the value's after (`"apiKey": "…"`, `API_KEY = '…'`, `token: …`,
 * `config['SECRET_KEY'] = …`). Its whitespace runs are unbounded but contiguous: a rule that starts
 * at a name scans each run once.
 */
const ASSIGN = String.raw `(?:["']\]?|\])?[^\S\r\n]*(?:=|:=|:|=>)[^\S\r\n]*["'\x60]?`;
/** The lowercase spellings of `a[_.-]?b`, as keywords for a regex that allows each of them. */
function joined(a, b) {
    return ['', '_', '-', '.'].map((sep) => `${a}${sep}${b}`);
}
/** A regex from a raw source string (so `\b` needs no double escaping). */
function re(source, flags = '') {
    return new RegExp(source, flags);
}
/** What may follow a rule's name before the assignment: `_API_TOKEN`, `.key`, `-secret`. */
const NAME_TAIL = String.raw `[\w.-]{0,24}?`;
/**
 * A value assigned to a name starting with `name` (a regex source, matched case-insensitively by
 * the rule's `i` flag): `CLOUDFLARE_API_TOKEN=…`, `"fastlyKey": "…"`, `TF_VAR_vercel_token = "…"`.
 * The name starts after a non-alphanumeric character (`_` included, unlike `\b`), its tail is
 * bounded, and the value `value` (the capture group) must not run on into `valueChars`.
 */
function assigned(name, value, valueChars = String.raw `A-Za-z0-9_\-+/=`) {
    return String.raw `(?<![A-Za-z0-9])(?:${name})${NAME_TAIL}${ASSIGN}(${value})(?![${valueChars}])`;
}
/** A UUID, lower or upper case (the rules using it carry the `i` flag or accept either). */
const UUID = String.raw `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`;
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
/** CRC-32 (IEEE) of a string's UTF-8 bytes, the checksum some providers embed in their tokens. */
function crc32(text) {
    let crc = 0xffffffff;
    for (const byte of Buffer.from(text, 'utf8'))
        crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
/** Whether a value mixes upper case, lower case and digits, as random tokens of that alphabet do. */
function mixedCase(value) {
    return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}
/** Whether `text` is base64 (or base64url) of a JSON object, the body of several token formats. */
function base64Json(text) {
    try {
        const json = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
        return typeof json === 'object' && json !== null && !Array.isArray(json)
            ? json
            : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/secrets-scan/rules/cloud.ts

/**
 * An unnamed secret access key after an access key ID: on the same line (a credentials CSV row
 * `AKIA…,<secret>`) or up to three lines below. Each skipped line is at most 100 characters and
 * matched one way only, so a key ID costs at most a few thousand steps. The candidate must start a
 * base64 run of exactly 40 characters mixing upper case, lower case and digits: a git SHA (hex) or
 * a word is skipped in the regex itself, so the search goes on to the real secret.
 */
const PAIRED_SECRET = String.raw `\b(?:AKIA|ASIA)[A-Z2-7]{16}\b(?:[^\r\n]{0,100}?\r?\n){0,3}?[^\r\n]{0,100}?` +
    String.raw `(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])` +
    String.raw `([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`;
/** Azure's identifiable keys carry a 4-character signature naming the service at a fixed offset. */
const AZ64 = 'A-Za-z0-9+/';
/** An Azure SAS signature is the URL-encoded base64 of an HMAC-SHA256: 32 bytes. */
function isSasSignature(sig) {
    try {
        const b64 = decodeURIComponent(sig);
        return /^[A-Za-z0-9+/]{43}=$/.test(b64) && Buffer.from(b64, 'base64').length === 32;
    }
    catch {
        return false;
    }
}
const CLOUD_RULES = [
    // ── AWS ───────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'aws-access-key-id',
        title: 'AWS access key ID',
        description: 'An AWS access key ID (long-term `AKIA` or temporary `ASIA`); its secret key is usually nearby. ' +
            'Deactivate and delete the key in IAM (Users → Security credentials), rotate it, and review ' +
            'CloudTrail for its use.',
        severity: 'critical',
        keywords: ['akia', 'asia', 'abia', 'acca'],
        publicPrefix: true,
        regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
        // 16 random base32 characters after a fixed prefix: 1 real key in 10,000 is below 2.9.
        entropy: 2.8,
    },
    {
        id: 'aws-secret-access-key',
        title: 'AWS secret access key',
        description: 'An AWS secret access key: with its key ID it acts as the IAM user or role. Deactivate and ' +
            'delete the access key in IAM, create a new one, and review CloudTrail for its use.',
        severity: 'critical',
        keywords: ['aws', 'secretaccesskey', 'secret_access_key', 'secret-access-key'],
        regex: re(String.raw `(?:aws[\w.-]{0,20}?(?:secret|sak)|secret(?:_access_|-access-|access)key)[\w.-]{0,20}?` +
            ASSIGN +
            String.raw `([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'i'),
        entropy: 4,
    },
    {
        id: 'aws-session-token',
        title: 'AWS session token',
        description: 'A temporary AWS session token: with its key pair it acts as the assumed role until it expires. ' +
            'Revoke the role’s active sessions (IAM → Roles → Revoke sessions) and find where the ' +
            'credentials were exported.',
        severity: 'high',
        keywords: ['session_token', 'session-token', 'sessiontoken'],
        // The name must not follow a base64 character: one inside a previous value (`…sessiontoken=…`)
        // would rescan up to 4096 characters of it at every such name.
        regex: re(String.raw `(?:(?<![A-Za-z0-9/+=])aws[_-]?session[_-]?token|(?<![A-Za-z0-9/+=_])sessiontoken)` +
            ASSIGN +
            String.raw `([A-Za-z0-9/+=]{100,4096})(?![A-Za-z0-9/+=])`, 'i'),
        entropy: 4.5,
    },
    {
        id: 'aws-sts-session-token',
        title: 'AWS STS session token (unnamed)',
        description: 'A temporary AWS session token recognised by its own header (`IQoJb3JpZ2luX2Vj…`, older ' +
            '`FwoGZXIvYXdz…`), whatever it is assigned to: with its key pair it acts as the assumed role ' +
            'until it expires. Revoke the role’s active sessions (IAM → Roles → Revoke sessions).',
        severity: 'high',
        keywords: ['iqojb3jpz2lux2vj', 'fwogzxivyxdz', 'fqogzxivyxdz'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9/+])((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{100,4096}={0,2})(?![A-Za-z0-9/+=])/,
        entropy: 4.5,
    },
    {
        id: 'aws-bedrock-api-key',
        title: 'Amazon Bedrock API key',
        description: 'An Amazon Bedrock API key, long-term (`ABSK…`, an IAM service-specific credential) or ' +
            'short-term (`bedrock-api-key-…`): it calls Bedrock models billed to the account. Delete the ' +
            'service-specific credential in IAM (Users → Security credentials) or revoke the session.',
        severity: 'high',
        keywords: ['absk', 'bedrock-api-key-'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9/+-])(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{60,400}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,4096}={0,2})(?![A-Za-z0-9/+=])/,
        entropy: 4,
    },
    // ── Google ────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'google-api-key',
        title: 'Google API key',
        description: 'A Google Cloud / Firebase / Maps API key: it bills to its project for every API it is not ' +
            'restricted from. Delete or regenerate it in Google Cloud Console → APIs & Services → ' +
            'Credentials, and add API and referrer restrictions to the new one.',
        severity: 'high',
        keywords: ['aiza'],
        publicPrefix: true,
        regex: /\b(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'google-oauth-client-secret',
        title: 'Google OAuth client secret',
        description: 'A Google OAuth 2.0 client secret: with the client ID it exchanges authorization codes for ' +
            'user tokens. Reset the secret in Google Cloud Console → APIs & Services → Credentials.',
        severity: 'high',
        keywords: ['gocspx-'],
        publicPrefix: true,
        regex: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'google-oauth-access-token',
        title: 'Google OAuth access token',
        description: 'A Google OAuth 2.0 access token (`ya29.`): for about an hour it calls Google APIs with the ' +
            'scopes granted to it. Revoke it (`https://oauth2.googleapis.com/revoke`) and find what logged it.',
        severity: 'medium',
        keywords: ['ya29.'],
        publicPrefix: true,
        regex: /\b(ya29\.[A-Za-z0-9_-]{30,2048})(?![A-Za-z0-9_.-])/,
        entropy: 4,
    },
    {
        id: 'google-oauth-refresh-token',
        title: 'Google OAuth refresh token',
        description: 'A Google OAuth 2.0 refresh token (`1//0…`): it mints access tokens until revoked. Revoke it ' +
            '(Google Account → Security → Third-party access, or the revoke endpoint) and rotate the ' +
            'client secret if that leaked too.',
        severity: 'high',
        keywords: ['1//0'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9_/-])(1\/\/0[A-Za-z0-9_-]{40,400})(?![A-Za-z0-9_-])/,
        entropy: 4,
    },
    // ── Azure ─────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'azure-storage-account-key',
        title: 'Azure storage account key',
        description: 'An Azure storage account access key (often inside a connection string): full control of every ' +
            'blob, file, queue and table in the account. Rotate it in the portal (Storage account → ' +
            'Access keys) and prefer Entra ID or SAS with an expiry.',
        severity: 'critical',
        keywords: ['accountkey', 'account_key', 'account-key'],
        regex: re(String.raw `\baccount[_-]?key(?:${ASSIGN}|[^\S\r\n]+)([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])`, 'i'),
        entropy: 4,
    },
    {
        id: 'azure-shared-access-key',
        title: 'Azure shared access key',
        description: 'An Azure Service Bus, Event Hubs or IoT Hub shared access key: it sends, listens or manages as ' +
            'its policy allows. Regenerate the key on the policy (Shared access policies) in the portal.',
        severity: 'high',
        keywords: ['sharedaccesskey'],
        regex: /\bSharedAccessKey[^\S\r\n]*=[^\S\r\n]*([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/i,
        entropy: 4,
    },
    {
        id: 'azure-ad-client-secret',
        title: 'Microsoft Entra ID (Azure AD) client secret',
        description: 'A Microsoft Entra ID application client secret: it signs in as the app with all its API ' +
            'permissions. Delete it in App registrations → Certificates & secrets and create a new one.',
        severity: 'high',
        keywords: ['q~'],
        regex: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
        entropy: 3,
    },
    {
        id: 'azure-identifiable-key',
        title: 'Azure storage, Cosmos DB, Batch, API Management or ML key',
        description: 'An Azure 64-byte identifiable key (signature `+ASt` storage account, `ACDb` Cosmos DB, `+ABa` ' +
            'Batch, `APIM` API Management, `/AM7` Machine Learning): full access to that resource. ' +
            'Regenerate the key on the resource (Access keys / Keys) and move its users to Entra ID.',
        severity: 'critical',
        keywords: ['+ast', 'acdb', '+aba', 'apim', '/am7'],
        regex: re(`(?<![${AZ64}_-])([${AZ64}]{76}(?:\\+ASt|ACDb|\\+ABa|APIM|/AM7)[${AZ64}]{5}[AQgw]==)(?![${AZ64}=_-])`),
        entropy: 4,
    },
    {
        id: 'azure-identifiable-shared-key',
        title: 'Azure Service Bus, Event Hubs, Relay, IoT Hub or Redis key',
        description: 'An Azure 32-byte identifiable key (signature `+ASb` Service Bus, `+AEh` Event Hubs, `+ARm` ' +
            'Relay, `AIoT` IoT Hub, `AzCa` Cache for Redis): it sends, listens or manages as its policy ' +
            'allows. Regenerate the key on its access policy in the portal.',
        severity: 'high',
        keywords: ['+asb', '+aeh', '+arm', 'aiot', 'azca'],
        regex: re(`(?<![${AZ64}_-])([${AZ64}]{33}(?:\\+ASb|\\+AEh|\\+ARm|AIoT|AzCa)[A-P][${AZ64}]{5}=)(?![${AZ64}=_-])`),
        entropy: 4,
    },
    {
        id: 'azure-function-key',
        title: 'Azure Functions key',
        description: 'An Azure Functions host, master or function key (signature `AzFu`): it calls the functions ' +
            'whose authorization level is not anonymous, the master key all of them. Renew the key in the ' +
            'function app (App keys / Function keys).',
        severity: 'high',
        keywords: ['azfu'],
        regex: /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==)(?![A-Za-z0-9_=-])/,
        entropy: 4,
    },
    {
        id: 'azure-search-key',
        title: 'Azure AI Search key',
        description: 'An Azure AI Search (Cognitive Search) admin or query key (signature `AzSe`): an admin key ' +
            'changes indexes and data, a query key reads them. Regenerate it on the search service (Keys).',
        severity: 'high',
        keywords: ['azse'],
        regex: re(`(?<![${AZ64}_-])([${AZ64}]{42}AzSe[A-D][${AZ64}]{5})(?![${AZ64}=_-])`),
        entropy: 4,
    },
    {
        id: 'azure-container-registry-key',
        title: 'Azure Container Registry password',
        description: 'An Azure Container Registry admin or token password (signature `+ACR`): it pulls and may ' +
            'push images. Regenerate it (Access keys, or the token’s passwords) and prefer Entra ID.',
        severity: 'high',
        keywords: ['+acr'],
        regex: re(`(?<![${AZ64}_-])([${AZ64}]{42}\\+ACR[A-D][${AZ64}]{5})(?![${AZ64}=_-])`),
        entropy: 4,
    },
    {
        id: 'azure-annotated-security-key',
        title: 'Azure DevOps personal access token or Microsoft annotated key',
        description: 'A Microsoft common annotated security key (signature `JQQJ9` at a fixed offset): Azure DevOps ' +
            'personal access tokens and other Azure keys issued since 2024. Revoke it where it was issued ' +
            '(Azure DevOps: User settings → Personal access tokens).',
        severity: 'critical',
        keywords: ['jqqj9'],
        regex: /(?<![A-Za-z0-9])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9=])/,
        entropy: 4,
    },
    {
        id: 'azure-sas-token',
        title: 'Azure shared access signature',
        description: 'An Azure Storage shared access signature (`sv=…&sig=…`): until it expires it grants what its ' +
            '`sp` permissions allow on the account, container or blob. Rotate the storage key it was ' +
            'signed with (or revoke its stored access policy or user delegation key).',
        severity: 'high',
        keywords: ['sig='],
        // Parameters between `sv` and `sig` are `name=value&` pairs: a name cannot hold `=` or `&` and
        // a value cannot hold `&`, so each splits one way only.
        regex: /\bsv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&(?:[A-Za-z0-9_.%:-]{1,64}=[^&\s"'<>]{0,256}&){0,12}?sig=([A-Za-z0-9%+/]{40,120})(?![A-Za-z0-9%+/])/,
        validate: isSasSignature,
    },
    // ── Infrastructure ────────────────────────────────────────────────────────────────────────────
    {
        id: 'vault-token',
        title: 'HashiCorp Vault token',
        description: 'A HashiCorp Vault service (`hvs.`) or batch (`hvb.`) token: it reads the secrets its policies ' +
            'allow. Revoke it with `vault token revoke` and audit what it read.',
        severity: 'critical',
        keywords: ['hvs.', 'hvb.'],
        publicPrefix: true,
        regex: /\b(hv[sb]\.[A-Za-z0-9_-]{24,300})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'terraform-cloud-token',
        title: 'Terraform Cloud / HCP Terraform token',
        description: 'A Terraform Cloud user, team or organization API token: it runs plans and applies and reads ' +
            'workspace state and variables. Delete it at app.terraform.io → User or Organization settings → Tokens.',
        severity: 'high',
        keywords: ['atlasv1'],
        regex: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
        entropy: 3.5,
    },
    {
        id: 'digitalocean-token',
        title: 'DigitalOcean token',
        description: 'A DigitalOcean personal access (`dop_v1_`), OAuth (`doo_v1_`) or refresh (`dor_v1_`) token: it ' +
            'manages droplets, databases and billing. Delete it at cloud.digitalocean.com → API → Tokens.',
        severity: 'high',
        keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
        publicPrefix: true,
        regex: /\b(do[por]_v1_[a-f0-9]{64})\b/,
        entropy: 3,
    },
    {
        id: 'heroku-api-key',
        title: 'Heroku API key',
        description: 'A Heroku API key (`HRKU-`): it manages apps, config vars and add-ons as its user. Regenerate ' +
            'it at dashboard.heroku.com → Account settings → API Key, or revoke the authorization.',
        severity: 'high',
        keywords: ['hrku-aa'],
        publicPrefix: true,
        regex: /\b(HRKU-AA[A-Za-z0-9_-]{58})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'heroku-api-key-legacy',
        title: 'Heroku API key (legacy UUID)',
        description: 'A legacy, UUID-shaped Heroku API key assigned to a Heroku setting: it manages apps and config ' +
            'vars as its user. Regenerate it at dashboard.heroku.com → Account settings → API Key.',
        severity: 'high',
        keywords: ['heroku'],
        regex: re(String.raw `\bheroku[\w.-]{0,20}?` +
            ASSIGN +
            String.raw `([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`, 'i'),
        entropy: 3,
    },
];
/**
 * The AWS rule that pairs an unnamed secret with a nearby key ID. It runs after every token rule
 * (just before the context rules), so a 40-character token of another provider near a key ID is
 * reported as that provider's.
 */
const AWS_PAIRED_RULES = [
    {
        id: 'aws-secret-access-key-paired',
        title: 'AWS secret access key next to its key ID',
        description: 'An unnamed 40-character AWS secret access key on the line of an access key ID or a few lines ' +
            'below it (a credentials CSV downloaded from IAM, pasted `aws configure` answers): with the ID ' +
            'it acts as the IAM user. Deactivate and delete the access key in IAM, create a new one, and ' +
            'review CloudTrail for its use.',
        severity: 'critical',
        keywords: ['akia', 'asia'],
        regex: re(PAIRED_SECRET),
        // Random base64 has about 5 bits per character; a readable identifier has far less.
        entropy: 4.3,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/devtools.ts

const DEVTOOLS_RULES = [
    // ── CI/CD ─────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'circleci-token',
        title: 'CircleCI API token',
        description: 'A CircleCI personal (`CCIPAT_`) or project (`CCIPRJ_`) API token: it triggers pipelines and ' +
            'reads project settings and environment variables. Delete it at app.circleci.com → User ' +
            'settings → Personal API tokens, or the project’s API permissions.',
        severity: 'high',
        keywords: ['ccipat_', 'cciprj_'],
        publicPrefix: true,
        regex: /\b(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40})\b/,
        entropy: 3.5,
    },
    {
        id: 'circleci-legacy-token',
        title: 'CircleCI API token (legacy)',
        description: 'A legacy 40-hex CircleCI API token assigned to a CircleCI setting (`CIRCLE_TOKEN`): it ' +
            'triggers pipelines and reads project environment variables. Delete it at app.circleci.com → ' +
            'User settings → Personal API tokens.',
        severity: 'high',
        precision: 'medium',
        keywords: ['circle'],
        regex: re(assigned(String.raw `circle(?:ci)?[\w.-]{0,12}?token`, '[a-f0-9]{40}'), 'i'),
        entropy: 3,
    },
    {
        id: 'buildkite-token',
        title: 'Buildkite API or agent token',
        description: 'A Buildkite user API access token (`bkua_`) or agent access token (`bkaa_`): the first calls ' +
            'the REST and GraphQL APIs as its user, the second registers agents that receive jobs and ' +
            'their secrets. Revoke it in Personal settings → API access tokens, or the cluster’s agent tokens.',
        severity: 'high',
        keywords: ['bkua_', 'bkaa_'],
        publicPrefix: true,
        // Newer tokens carry a short organization part before a dot: `bkua_MTA.…`.
        regex: /\b(bk(?:ua|aa)_(?:[A-Za-z0-9]{2,24}\.)?[A-Za-z0-9]{40,100})(?![A-Za-z0-9])/,
        entropy: 3.5,
    },
    {
        id: 'travis-ci-token',
        title: 'Travis CI API token',
        description: 'A Travis CI API token assigned to a Travis setting: it restarts builds and reads and changes ' +
            'repository settings and environment variables. Regenerate it at app.travis-ci.com → Settings.',
        severity: 'medium',
        precision: 'medium',
        keywords: ['travis'],
        regex: re(assigned(String.raw `travis[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{22}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'sonarqube-token',
        title: 'SonarQube token',
        description: 'A SonarQube user (`squ_`), project analysis (`sqp_`) or global analysis (`sqa_`) token: it ' +
            'submits analyses and, for a user token, reads code and issues as its user. Revoke it in ' +
            'My Account → Security.',
        severity: 'medium',
        keywords: ['squ_', 'sqp_', 'sqa_'],
        publicPrefix: true,
        regex: /\b(sq[upa]_[a-f0-9]{40})\b/,
        entropy: 3,
    },
    {
        id: 'octopus-deploy-api-key',
        title: 'Octopus Deploy API key',
        description: 'An Octopus Deploy API key (`API-…`): it creates releases and deployments as its user. Revoke ' +
            'it in the Octopus web portal → Profile → My API keys.',
        severity: 'high',
        keywords: ['api-'],
        publicPrefix: true,
        regex: /\b(API-[A-Z0-9]{26,32})\b/,
        entropy: 3,
        // Upper-case words joined by dashes (`API-GATEWAY…`) are names; a key mixes in digits.
        validate: (key) => /[0-9]/.test(key.slice(4)) && /[A-Z]/.test(key.slice(4)),
    },
    // ── Package registries ────────────────────────────────────────────────────────────────────────
    {
        id: 'rubygems-api-key',
        title: 'RubyGems API key',
        description: 'A RubyGems.org API key (`rubygems_`): it may push new versions of your gems (a supply-chain ' +
            'attack). Delete it at rubygems.org → Settings → API keys and prefer trusted publishing.',
        severity: 'critical',
        keywords: ['rubygems_'],
        publicPrefix: true,
        regex: /\b(rubygems_[a-f0-9]{48})\b/,
        entropy: 3,
    },
    {
        id: 'nuget-api-key',
        title: 'NuGet API key',
        description: 'A nuget.org API key (`oy2…`): it may push new versions of your packages. Regenerate or delete ' +
            'it at nuget.org → API Keys and prefer trusted publishing.',
        severity: 'critical',
        keywords: ['oy2'],
        publicPrefix: true,
        regex: /\b(oy2[a-z0-9]{43})\b/,
        entropy: 3.5,
    },
    {
        id: 'jfrog-api-key',
        title: 'JFrog Artifactory API key',
        description: 'A JFrog Artifactory API key (`AKCp…`): it reads and deploys artifacts as its user. Revoke it ' +
            'in the JFrog Platform → Edit Profile → API key, and move to access tokens.',
        severity: 'high',
        keywords: ['akcp'],
        publicPrefix: true,
        regex: /\b(AKCp[A-Za-z0-9]{69})\b/,
        entropy: 4,
    },
    {
        id: 'jfrog-reference-token',
        title: 'JFrog reference token',
        description: 'A JFrog Platform reference token (`cmVmdGtu…`, base64 of `reftkn`): it reads and deploys ' +
            'artifacts as its user or service. Revoke it in the JFrog Platform → Administration → ' +
            'Identity and Access → Access Tokens.',
        severity: 'high',
        keywords: ['cmvmdgtu'],
        publicPrefix: true,
        regex: /\b(cmVmdGtu[A-Za-z0-9]{56})\b/,
        entropy: 4,
    },
    {
        id: 'crates-io-token',
        title: 'crates.io API token',
        description: 'A crates.io API token (`cio…`): it may publish new versions of your crates or yank them. ' +
            'Revoke it at crates.io → Account Settings → API Tokens and prefer trusted publishing.',
        severity: 'critical',
        keywords: ['cio'],
        publicPrefix: true,
        regex: /\b(cio[A-Za-z0-9]{32})\b/,
        entropy: 3.5,
        validate: mixedCase,
    },
    {
        id: 'clojars-token',
        title: 'Clojars deploy token',
        description: 'A Clojars deploy token (`CLOJARS_`): it deploys new versions of your libraries. Disable it at ' +
            'clojars.org → Deploy Tokens.',
        severity: 'high',
        keywords: ['clojars_'],
        publicPrefix: true,
        regex: /\b(CLOJARS_[A-Za-z0-9]{60})\b/,
        entropy: 3.5,
    },
];

// EXTERNAL MODULE: ./src/secrets-scan/placeholders.ts
var placeholders = __nccwpck_require__(1771);
;// CONCATENATED MODULE: ./src/secrets-scan/rules/generic.ts
/**
 * Rules that key on context rather than on a token format: passwords in URLs, connection strings,
 * `curl -u` and `.netrc`, JWTs, Django secret keys, Docker registry logins, Kubernetes Secret
 * manifests, and the generic `name = value` rule, which must stay last (every specific rule wins
 * on the same span).
 */


/** A JWT's header must base64url-decode to a JSON object naming its `alg`. */
function hasJwtHeader(token) {
    const header = token.slice(0, token.indexOf('.'));
    try {
        const json = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
        return typeof json === 'object' && json !== null && typeof json.alg === 'string';
    }
    catch {
        return false;
    }
}
/** Passwords that are documentation, not credentials: `user:password@`, `Password=secret;`. */
const PLACEHOLDER_PASSWORDS = new Set([
    'password',
    'passwd',
    'pass',
    'pwd',
    'pw',
    'secret',
    'user',
    'username',
    'test',
    'foo',
    'bar',
    'null',
    'none',
    'empty',
    'mypassword',
    'yourpassword',
    'somepassword',
]);
function isRealPassword(password) {
    if (password.length < 4)
        return false; // `abc`, `xyz`, `123`: test fixtures, not credentials
    if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase()))
        return false;
    if (/^(.)\1*$/.test(password))
        return false; // x, xx, ***
    if (/^(?:%[sdv]|\?|[:@][A-Za-z_]\w*)$/.test(password))
        return false; // printf or SQL parameters
    return true;
}
/**
 * A Docker `auth` value is the canonical (padded) base64 of `user:password`: it must decode to
 * printable text with a non-empty user and a password that is neither a placeholder nor filler.
 */
function isDockerAuth(value) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.toString('base64') !== value)
        return false;
    const text = decoded.toString('utf8');
    if (text.includes('\uFFFD') || /\p{C}/u.test(text))
        return false;
    const colon = text.indexOf(':');
    if (colon < 1)
        return false;
    const password = text.slice(colon + 1);
    return isRealPassword(password) && !(0,placeholders/* isPlaceholder */.w)(password);
}
/**
 * The generic rule's value must look random, not like a word, a path or a code reference: entropy
 * of 3.5 bits per character (3 for hex), letters and digits (or symbols), not an identifier such as
 * `my-service-name-v2`, not a path.
 */
function looksLikeGenericSecret(value) {
    if (/^[~.]?\//.test(value))
        return false;
    // Words and identifiers, maybe with a short number: `correct-horse`, `OpeningParenToken$1`, `NAME_V2`.
    if (/^[A-Za-z_$]+(?:-[A-Za-z_$]+)*-?v?[0-9]{0,3}$/.test(value))
        return false;
    // Hex tops out at 4 bits per character: a random 32-digit hex key is below 3.5 one time in five.
    if ((0,placeholders/* shannonEntropy */.l)(value) < (/^[0-9a-f]+$/i.test(value) ? 3 : 3.5))
        return false;
    const letters = /[A-Za-z]/.test(value);
    return (letters && /[0-9]/.test(value)) || (/[!@#$%^&*~]/.test(value) && (letters || /[0-9]/.test(value)));
}
/**
 * Whether a Kubernetes Secret's `data`/`stringData` block holds a real value: a line `key: value`
 * (or a `|` block under it) whose value, base64-decoded when it is canonical base64 of text, is
 * neither empty, a placeholder nor a stock password.
 */
function hasSecretValue(block) {
    const lines = block.split(/\r?\n/);
    const indent = /^[^\S\r\n]*/.exec(lines[0])[0].length;
    const values = [];
    for (const line of lines) {
        const pair = /^([^\S\r\n]*)[\w.-]+:[^\S\r\n]*(.*)$/.exec(line);
        if (pair && pair[1].length === indent)
            values.push(pair[2].trim());
        else if (values.length > 0)
            values[values.length - 1] += `\n${line.trim()}`;
    }
    return values.some((raw) => {
        const value = raw.replace(/^[|>][-+]?\n?/, '').replace(/^(["'])(.*)\1$/s, '$2');
        if (value === '' || (0,placeholders/* isPlaceholder */.w)(value) || !isRealPassword(value))
            return false;
        const decoded = Buffer.from(value, 'base64');
        if (decoded.toString('base64') !== value)
            return true;
        const text = decoded.toString('utf8');
        if (text.includes('\uFFFD') || /[\p{Cc}]/u.test(text.replace(/[\r\n\t]/g, '')))
            return true;
        return !(0,placeholders/* isPlaceholder */.w)(text) && isRealPassword(text);
    });
}
/** A Kubernetes `kind: Secret` line (also a list item's), alone on its line. */
const SECRET_KIND = String.raw `^[^\S\r\n]*(?:-[^\S\r\n]+)?kind:[^\S\r\n]*["']?Secret["']?[^\S\r\n]*`;
/** The names a connection string gives its server, user or database before `Password=`. */
const CONNECTION_KEY = String.raw `(?:server|data[^\S\r\n]source|host|address|addr|user[^\S\r\n]?id|uid|user(?:name)?|database|dbname|initial[^\S\r\n]catalog)`;
/** What Django's `get_random_secret_key()` draws its 50 characters from (and upper case). */
const DJANGO_CHARS = String.raw `A-Za-z0-9!@#$%^&*(\-_=+)`;
/**
 * A settings lookup with the key as its default: `os.environ.get('SECRET_KEY', '…')`,
 * `env('SECRET_KEY', default='…')`.
 */
const DJANGO_DEFAULT = String.raw `(?:[\w.]{1,40}\([^\r\n,]{0,80},[^\S\r\n]*(?:default[^\S\r\n]*=[^\S\r\n]*)?["'])?`;
const GENERIC_RULES = [
    // ── Passwords in connection strings ───────────────────────────────────────────────────────────
    {
        id: 'url-password',
        title: 'Password in a URL',
        description: 'A password in a `scheme://user:password@host` URL (database, broker, FTP, HTTP). Change the ' +
            'password on the server it opens, and take the URL from a secret store or environment at runtime.',
        severity: 'high',
        precision: 'medium',
        keywords: ['://'],
        // `postgres:postgres@` (password = user) is a local default, and `@example.com` documentation.
        // Every run is bounded and the user part cannot hold `:`, so it splits from the password one
        // way only: each start costs at most a few hundred steps.
        regex: /:(?<=\b[a-z][a-z0-9+.-]{1,30}:)\/\/([^\s:@/?#'"`<>]{0,128}):(?!\1@)([^\s@/?#'"`<>]{1,128})@(?=[A-Za-z0-9[])(?!(?:www\.)?example\.(?:com|org|net)\b)/i,
        secretGroup: 2,
        validate: isRealPassword,
    },
    {
        id: 'connection-string-password',
        title: 'Password in a connection string',
        // `Password=` takes no spaces around `=`: `const password = …` after `username = …` is code.
        description: 'A password in an ADO.NET, ODBC, JDBC or libpq connection string (`Server=…;User Id=…;Password=…`). ' +
            'Change the database password and read the connection string from a secret store at runtime.',
        severity: 'high',
        precision: 'medium',
        keywords: ['password', 'pwd'],
        // The match starts at the `Password=` key itself; only there does it look back (at most 256
        // characters, on the same line) for an earlier `Server=`, `Host=`, `User Id=`… key. Scanning
        // forward from every `key=` for a `Password=` that may never come is quadratic on a long line
        // of pairs, and a leading lookbehind would run at every position of the file.
        regex: re(String.raw `(?:password|pwd)` +
            String.raw `(?<=(?<![A-Za-z0-9])${CONNECTION_KEY}[^\S\r\n]{0,8}=[^\r\n]{0,256}?(?:[;&?"']|[^\S\r\n])(?:password|pwd))` +
            String.raw `=["']?([^;&\s'"]{1,128})`, 'i'),
        validate: isRealPassword,
    },
    // ── JWT ───────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'jwt',
        title: 'JSON Web Token',
        description: 'A signed JSON Web Token: until it expires it authenticates as its subject to whoever trusts ' +
            'its issuer. Revoke the session (or rotate the signing key) at the issuer, and do not commit ' +
            'captured tokens.',
        severity: 'medium',
        keywords: ['eyj'],
        publicPrefix: true,
        // Starts only where a run of base64url characters starts (not at `\b`, which also holds after
        // every `-` inside a run): otherwise `eyJa-eyJa-…` is rescanned from each `eyJ`, quadratically.
        regex: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/,
        validate: hasJwtHeader,
    },
    // ── Django and Docker ─────────────────────────────────────────────────────────────────────────
    {
        id: 'django-secret-key',
        title: 'Django secret key',
        description: 'A Django `SECRET_KEY`: it signs sessions, password-reset links, messages and CSRF tokens, so ' +
            'whoever holds it can forge them. Generate a new one (`get_random_secret_key()`), load it from ' +
            'the environment or a secret store, and expect every session to be logged out.',
        severity: 'high',
        keywords: ['secret_key'],
        // `SECRET_KEY = '…'`, `DJANGO_SECRET_KEY=…`, or the default of a settings lookup. The generic
        // rule misses most of these keys: they contain `(`, `)` or `%`.
        regex: re(String.raw `(?<![A-Za-z0-9_])(?:django[_-]?)?secret_key` +
            ASSIGN +
            DJANGO_DEFAULT +
            String.raw `((?:django-insecure-)?[${DJANGO_CHARS}]{50})(?![${DJANGO_CHARS}])`, 'i'),
        // 50 characters drawn from 50: real keys have 4.3 bits per character or more (4.9 typically);
        // phrases such as `this-is-a-very-long-secret-key-for-development-only` have less than 4.1.
        entropy: 4.2,
    },
    {
        id: 'docker-config-auth',
        title: 'Registry login in a Docker config.json',
        description: 'A container registry login saved by `docker login` in a `config.json` (`auths` → `auth`, the ' +
            'base64 of `user:password` or of a user and an access token): it pulls and usually pushes ' +
            'images as that user. Revoke the password or token at the registry and use a credential ' +
            'helper (`credsStore`) instead.',
        severity: 'high',
        keywords: ['"auth'],
        // Also inside a JSON string (`\"auth\":\"…\"`, e.g. a Kubernetes `.dockerconfigjson`).
        regex: /\\?"auth\\?"[^\S\r\n]*:[^\S\r\n]*\\?"([A-Za-z0-9+/]{8,8192}={0,2})\\?"/,
        validate: isDockerAuth,
    },
    // ── Command lines, .netrc and Kubernetes ──────────────────────────────────────────────────────
    {
        id: 'curl-basic-auth',
        title: 'Password in a curl command',
        description: 'A password given to `curl -u user:password` (or `--user`): it logs in to that server as the ' +
            'user. Change the password, and pass credentials through `--netrc-file`, a config file or an ' +
            'environment variable kept out of the repository.',
        severity: 'high',
        precision: 'medium',
        keywords: ['curl'],
        // From `curl`, at most 512 characters (line continuations included) to the `-u` option.
        regex: re(String.raw `\bcurl\b(?:[^\r\n]|\\\r?\n){0,512}?[^\S\r\n](?:-[A-Za-z]{0,8}u|--user)(?:[^\S\r\n]+|=)` +
            String.raw `["']?[^\s:'"\x60]{0,128}:([^\s'"\x60]{1,128})(?=["'\x60]?(?:\s|$))`),
        validate: isRealPassword,
    },
    {
        id: 'netrc-password',
        title: 'Password in a .netrc entry',
        description: 'A password in a `.netrc` entry (`machine host login user password …`), which git, curl and ' +
            'ftp send to that host. Change the password (or revoke the token) on the host, and keep ' +
            '`.netrc` out of the repository.',
        severity: 'high',
        precision: 'medium',
        keywords: ['machine'],
        regex: /\bmachine[^\S\r\n]+[^\s]{1,253}(?:\s+(?:account|port|protocol)[^\S\r\n]+[^\s]{1,256}){0,2}\s+login[^\S\r\n]+[^\s]{1,256}(?:\s+(?:account|port|protocol)[^\S\r\n]+[^\s]{1,256}){0,2}\s+password[^\S\r\n]+([^\s'"\x60]{1,256})(?!\S)/,
        validate: isRealPassword,
    },
    {
        id: 'kubernetes-secret-data',
        title: 'Values in a Kubernetes Secret manifest',
        description: 'The `data` or `stringData` of a Kubernetes `kind: Secret` manifest: base64 is an encoding, not ' +
            'encryption, so every value in it is readable. Rotate each credential, delete the manifest from ' +
            'the repository, and keep Secrets in an external store (Sealed Secrets, External Secrets, SOPS).',
        severity: 'high',
        precision: 'medium',
        keywords: ['data:'],
        // The secret is the whole block of values under `data:` (the deeper-indented lines after it),
        // captured in a lookahead and consumed by its backreference, so it is never re-split; the same
        // atomic skip finds the line after the block. The manifest must be a Secret: `kind: Secret` at
        // most 60 lines above `data:` in the same document (no `---` between), or on the line right
        // after the block (`kubectl get -o yaml` sorts keys). A block line is its indentation then a
        // non-blank character, so it splits one way only. `data:` is indented at most 8 (a manifest, or
        // an item of a `kind: List`), so however deeply headers nest, a line is in at most 9 blocks.
        regex: re(String.raw `^([^\S\r\n]{0,8})(?:data|stringData):[^\S\r\n]*` +
            String.raw `(?:(?<=${SECRET_KIND}(?:\r?\n(?![^\S\r\n]*---)[^\r\n]{0,8192}){1,60})` +
            String.raw `|(?=(?=((?:\r?\n\1[^\S\r\n]+\S[^\r\n]{0,8192}){1,250}))\2\r?\n${SECRET_KIND}$))` +
            String.raw `\r?\n(?=(\1[^\S\r\n]+[\w.-]{1,253}:[^\r\n]{0,8192}(?:\r?\n\1[^\S\r\n]+\S[^\r\n]{0,8192}){0,250}))\3`),
        secretGroup: 3,
        validate: hasSecretValue,
    },
    // ── Generic (last: every specific rule wins on the same span) ─────────────────────────────────
    {
        id: 'generic-secret',
        title: 'Generic secret',
        description: 'A random-looking value assigned to a name like `api_key`, `secret`, `token` or `password`. ' +
            'Revoke or rotate it with whatever issued it, and load it from a secret store or the environment.',
        severity: 'medium',
        precision: 'medium',
        keywords: [
            ...joined('api', 'key'),
            'secret',
            'token',
            'password',
            'passwd',
            'pwd',
            'credential',
            ...joined('access', 'key'),
            ...joined('auth', 'key'),
        ],
        // The name's tail and the value are bounded (24 and 256): a start inside a long run of
        // `token=token=…` scans at most 256 characters, never the rest of the run.
        regex: re(String.raw `(?:api[_.-]?key|secret|token|passw(?:or)?d|pwd|credential|access[_.-]?key|auth[_.-]?key)[\w.-]{0,24}?` +
            ASSIGN +
            String.raw `([A-Za-z0-9_\-+/=~!@#$%^&*]{16,256})(?![A-Za-z0-9_\-+/=~!@#$%^&*.(\[{])`, 'i'),
        // 3.5 bits per character (3 for hex), checked in `looksLikeGenericSecret`.
        entropy: 3,
        validate: looksLikeGenericSecret,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/hosting.ts

const HOSTING_RULES = [
    // ── Alibaba Cloud, IBM Cloud, Scaleway ────────────────────────────────────────────────────────
    {
        id: 'alibaba-access-key-id',
        title: 'Alibaba Cloud AccessKey ID',
        description: 'An Alibaba Cloud AccessKey ID (`LTAI…`); its secret is usually nearby. Together they act as ' +
            'the RAM user. Disable and delete the AccessKey in the RAM console and review ActionTrail.',
        severity: 'high',
        keywords: ['ltai'],
        publicPrefix: true,
        regex: /\b(LTAI[A-Za-z0-9]{12,20})\b/,
        entropy: 3,
        validate: mixedCase,
    },
    {
        id: 'alibaba-secret-key',
        title: 'Alibaba Cloud AccessKey secret',
        description: 'An Alibaba Cloud AccessKey secret assigned to an Alibaba setting: with its ID it acts as the ' +
            'RAM user. Disable and delete the AccessKey in the RAM console, create a new one, and review ' +
            'ActionTrail for its use.',
        severity: 'critical',
        precision: 'medium',
        keywords: ['alibaba', 'aliyun', 'alicloud'],
        regex: re(assigned(String.raw `(?:alibaba|aliyun|alicloud)[\w.-]{0,24}?secret`, '[A-Za-z0-9]{30}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'ibm-cloud-api-key',
        title: 'IBM Cloud API key',
        description: 'An IBM Cloud IAM API key assigned to an IBM setting (`IC_API_KEY`, `IBMCLOUD_API_KEY`): it ' +
            'acts as its user or service ID on every resource its access policies allow. Delete it in IBM ' +
            'Cloud → Manage → Access (IAM) → API keys.',
        severity: 'high',
        precision: 'medium',
        keywords: ['ibm', 'ic_api_key'],
        regex: re(assigned(String.raw `ibm[\w.-]{0,20}?api[_.-]?key|ic_api_key`, '[A-Za-z0-9_-]{44}'), 'i'),
        entropy: 4,
    },
    {
        id: 'scaleway-access-key',
        title: 'Scaleway access key',
        description: 'A Scaleway API access key ID (`SCW…`); its secret key (a UUID) is usually nearby. Delete the ' +
            'API key in the Scaleway console → IAM → API keys.',
        severity: 'medium',
        keywords: ['scw'],
        publicPrefix: true,
        regex: /\b(SCW[A-Z0-9]{17})\b/,
        entropy: 3,
    },
    {
        id: 'scaleway-secret-key',
        title: 'Scaleway secret key',
        description: 'A Scaleway API secret key assigned to a Scaleway setting (`SCW_SECRET_KEY`): it acts as its ' +
            'IAM application or user. Delete the API key in the Scaleway console → IAM → API keys.',
        severity: 'high',
        precision: 'medium',
        keywords: ['scw', 'scaleway'],
        regex: re(assigned(String.raw `(?:scw|scaleway)[\w.-]{0,20}?secret[_.-]?key`, UUID), 'i'),
        entropy: 3,
    },
    // ── CDN and hosting ───────────────────────────────────────────────────────────────────────────
    {
        id: 'cloudflare-api-token',
        title: 'Cloudflare API token',
        description: 'A Cloudflare API token assigned to a Cloudflare setting: it changes DNS, firewall and Workers ' +
            'as its permissions allow. Roll or delete it at dash.cloudflare.com → My Profile → API Tokens.',
        severity: 'high',
        precision: 'medium',
        keywords: ['cloudflare', 'cf_api_token', 'cf-api-token'],
        regex: re(assigned(String.raw `cloudflare[\w.-]{0,20}?token|cf[_-]api[_-]token`, '[A-Za-z0-9_-]{40}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'cloudflare-global-api-key',
        title: 'Cloudflare Global API key',
        description: 'A Cloudflare Global API key: with the account e-mail it has every permission of the user on ' +
            'every zone. Change it at dash.cloudflare.com → My Profile → API Tokens → Global API Key → ' +
            'Change, and switch to scoped API tokens.',
        severity: 'critical',
        precision: 'medium',
        keywords: ['cloudflare', 'cf_api_key', 'cf-api-key'],
        regex: re(assigned(String.raw `cloudflare[\w.-]{0,20}?key|cf[_-]api[_-]key`, '[a-f0-9]{37}'), 'i'),
        entropy: 3,
    },
    {
        id: 'cloudflare-origin-ca-key',
        title: 'Cloudflare Origin CA key',
        description: 'A Cloudflare Origin CA key (`v1.0-…`): it issues and revokes origin certificates for the ' +
            'account’s zones. Revoke it at dash.cloudflare.com → My Profile → API Tokens → Origin CA Key.',
        severity: 'high',
        keywords: ['v1.0-'],
        publicPrefix: true,
        regex: /\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b/,
        entropy: 3,
    },
    {
        id: 'fastly-api-token',
        title: 'Fastly API token',
        description: 'A Fastly API token assigned to a Fastly setting: it changes services, purges caches and reads ' +
            'logs as its scope allows. Delete it at manage.fastly.com → Account → API tokens.',
        severity: 'high',
        precision: 'medium',
        keywords: ['fastly'],
        regex: re(assigned(String.raw `fastly[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{32}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'netlify-token',
        title: 'Netlify access token',
        description: 'A Netlify personal access token assigned to a Netlify setting (`NETLIFY_AUTH_TOKEN`): it ' +
            'deploys and configures every site of its user. Delete it at app.netlify.com → User settings → ' +
            'Applications → Personal access tokens.',
        severity: 'high',
        precision: 'medium',
        keywords: ['netlify'],
        regex: re(assigned(String.raw `netlify[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{40,46}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'vercel-token',
        title: 'Vercel access token',
        description: 'A Vercel access token assigned to a Vercel setting (`VERCEL_TOKEN`): it deploys and reads the ' +
            'environment variables of the projects in its scope. Delete it at vercel.com → Account ' +
            'Settings → Tokens.',
        severity: 'high',
        precision: 'medium',
        keywords: ['vercel'],
        regex: re(assigned(String.raw `vercel[\w.-]{0,20}?token`, '[A-Za-z0-9]{24}'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'flyio-token',
        title: 'Fly.io token',
        description: 'A Fly.io organization or deploy token (`fo1_`, `fm1a_`, `fm1r_`, `fm2_`): it deploys and ' +
            'manages apps and reads their secrets as its scope allows. Revoke it with `fly tokens revoke` ' +
            'or in the dashboard (Tokens).',
        severity: 'high',
        keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
        publicPrefix: true,
        regex: /\b(fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,4096}={0,3})(?![A-Za-z0-9_+/=-])/,
        entropy: 4,
    },
    // ── Databases and platforms ───────────────────────────────────────────────────────────────────
    {
        id: 'supabase-token',
        title: 'Supabase personal access token',
        description: 'A Supabase personal access token (`sbp_`): it manages every project of its user through the ' +
            'Management API (databases, keys, functions). Revoke it at supabase.com → Account → Access Tokens.',
        severity: 'high',
        keywords: ['sbp_'],
        publicPrefix: true,
        regex: /\b(sbp_[a-f0-9]{40})\b/,
        entropy: 3,
    },
    {
        id: 'planetscale-password',
        title: 'PlanetScale database password',
        description: 'A PlanetScale database branch password (`pscale_pw_`): it connects to the branch with its ' +
            'role. Delete the password in the database’s Settings → Passwords and create a new one.',
        severity: 'high',
        keywords: ['pscale_pw_'],
        publicPrefix: true,
        regex: /\b(pscale_pw_[A-Za-z0-9_=-]{32,64})(?![A-Za-z0-9_=-])/,
        entropy: 3.5,
    },
    {
        id: 'planetscale-api-token',
        title: 'PlanetScale service or OAuth token',
        description: 'A PlanetScale service token (`pscale_tkn_`) or OAuth token (`pscale_oauth_`): it manages ' +
            'databases, branches and passwords as its access allows. Delete it in the organization’s ' +
            'Settings → Service tokens, or revoke the OAuth application.',
        severity: 'high',
        keywords: ['pscale_tkn_', 'pscale_oauth_'],
        publicPrefix: true,
        regex: /\b(pscale_(?:tkn|oauth)_[A-Za-z0-9_=-]{32,64})(?![A-Za-z0-9_=-])/,
        entropy: 3.5,
    },
    {
        id: 'pulumi-access-token',
        title: 'Pulumi access token',
        description: 'A Pulumi Cloud access token (`pul-`): it reads and updates stacks, their state and their ' +
            'secrets. Delete it at app.pulumi.com → Settings → Access tokens.',
        severity: 'high',
        keywords: ['pul-'],
        publicPrefix: true,
        regex: /\b(pul-[a-f0-9]{40})\b/,
        entropy: 3,
    },
    {
        id: 'doppler-token',
        title: 'Doppler token',
        description: 'A Doppler personal (`dp.pt.`), service (`dp.st.`), service account (`dp.sa.`), CLI (`dp.ct.`), ' +
            'SCIM or audit token: it reads the secrets of the projects and configs it can access. Revoke ' +
            'it in the Doppler dashboard (Tokens, or the config’s Access tab).',
        severity: 'critical',
        keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
        publicPrefix: true,
        // A service token may name its config: `dp.st.prd.…`.
        regex: /\b(dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{1,32}\.)?[A-Za-z0-9]{40,44})\b/,
        entropy: 3.5,
    },
    {
        id: 'databricks-token',
        title: 'Databricks personal access token',
        description: 'A Databricks personal access token (`dapi…`): it runs jobs, queries and notebooks in the ' +
            'workspace as its user. Revoke it in the workspace’s User settings → Developer → Access tokens.',
        severity: 'high',
        keywords: ['dapi'],
        publicPrefix: true,
        regex: /\b(dapi[a-f0-9]{32}(?:-[0-9])?)(?![A-Za-z0-9-])/,
        entropy: 3,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/keys.ts

/**
 * The body of a PEM block: base64, armor headers (`Proc-Type: 4,ENCRYPTED`), real or `\n` (JSON)
 * newlines. It never contains `-----`, so a match cannot run on past the next BEGIN/END line and
 * each BEGIN is scanned only up to its own END (or the next BEGIN): the scans of all the BEGINs in
 * a file never overlap, even when none of them is closed. Each character has one way to match
 * (`-` and `\` are not in the class), so a failed scan backtracks in linear time.
 */
const PEM_BODY = String.raw `(?:[A-Za-z0-9+/=\s:,]|-(?!----)|\\[nr]){50,16384}?`;
/** PGP armor may also carry `Version:` and `Comment:` headers, and a key with subkeys is long. */
const PGP_BODY = String.raw `(?:[A-Za-z0-9+/=\s:,.()_@']|-(?!----)|\\[nr]){50,65536}?`;
const PEM_KIND = String.raw `(?:(?:RSA|EC|DSA|ENCRYPTED|ANY) )?`;
/** A JSON key and its colon, also inside a JSON string (`\"type\": \"…\"`). */
const jsonKey = (name) => String.raw `\\?"${name}\\?"[^\S\r\n]*:[^\S\r\n]*\\?"`;
const KEY_RULES = [
    // ── Private keys ──────────────────────────────────────────────────────────────────────────────
    {
        id: 'gcp-service-account-key',
        title: 'Google Cloud service account key',
        description: 'The private key of a Google Cloud service-account key file (`"type": "service_account"`, ' +
            '`"private_key_id"`, `"private_key"`): it acts as the service account with all its IAM roles. ' +
            'Delete the key in IAM & Admin → Service accounts → Keys (its id is `private_key_id`), and ' +
            'prefer workload identity federation to key files.',
        severity: 'critical',
        keywords: ['service_account'],
        // The fields keep gcloud's order (type, project_id, private_key_id, private_key). The key is
        // the same span the PEM rule would report, so this rule (first) names it.
        regex: re(jsonKey('type') +
            String.raw `service_account\\?"[\s\S]{0,400}?` +
            jsonKey('private_key_id') +
            String.raw `[0-9a-f]{40}\\?"[^\S\r\n]*,\s{0,40}` +
            jsonKey('private_key') +
            String.raw `(-----BEGIN PRIVATE KEY-----${PEM_BODY}-----END PRIVATE KEY-----)`),
        entropy: 4,
    },
    {
        id: 'private-key',
        title: 'Private key (PEM)',
        description: 'A PEM-encoded RSA, EC, DSA or PKCS#8 private key: whoever holds it can impersonate its owner, ' +
            'decrypt traffic or sign as it. Replace the key pair, revoke any certificate issued for it, and ' +
            'remove the key from the repository history.',
        severity: 'critical',
        keywords: ['private key'],
        regex: re(`-----BEGIN ${PEM_KIND}PRIVATE KEY-----${PEM_BODY}-----END ${PEM_KIND}PRIVATE KEY-----`),
        entropy: 4,
    },
    {
        id: 'openssh-private-key',
        title: 'OpenSSH private key',
        description: 'An OpenSSH private key: it logs in wherever its public key is authorized. Remove the public key ' +
            'from every `authorized_keys`, deploy-key and account list, then generate a new pair.',
        severity: 'critical',
        keywords: ['begin openssh private key'],
        regex: re(`-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`),
        entropy: 4,
    },
    {
        id: 'pgp-private-key-block',
        title: 'PGP private key block',
        description: 'An ASCII-armored PGP secret key: it signs and decrypts as its owner. Revoke the key (publish ' +
            'its revocation certificate to the keyservers) and create a new one.',
        severity: 'critical',
        keywords: ['begin pgp private key block'],
        regex: re(`-----BEGIN PGP PRIVATE KEY BLOCK-----${PGP_BODY}-----END PGP PRIVATE KEY BLOCK-----`),
        entropy: 4,
    },
    {
        id: 'age-secret-key',
        title: 'age secret key',
        description: 'An age (file encryption) identity: it decrypts every file encrypted to its recipient. Generate ' +
            'a new identity, re-encrypt the files to it and remove the old recipient.',
        severity: 'critical',
        keywords: ['age-secret-key-1'],
        publicPrefix: true,
        regex: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/messaging.ts

/** A Discord bot token starts with the base64 of the bot's user id: a snowflake, 17–20 digits. */
function isDiscordBotToken(token) {
    const id = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8');
    return /^[1-9][0-9]{16,19}$/.test(id);
}
const MESSAGING_RULES = [
    // ── Chat and webhooks ─────────────────────────────────────────────────────────────────────────
    {
        id: 'discord-webhook-url',
        title: 'Discord webhook URL',
        description: 'A Discord webhook URL: anyone can post messages with it into the channel, under any name and ' +
            'avatar. Delete the webhook (Server settings → Integrations → Webhooks) and create a new one.',
        severity: 'medium',
        keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
        regex: /https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'discord-bot-token',
        title: 'Discord bot token',
        description: 'A Discord bot token assigned to a Discord setting or passed to `login()`: it acts as the bot ' +
            'in every server it joined. Reset it at discord.com/developers → Applications → Bot → Reset Token.',
        severity: 'high',
        keywords: ['discord', '.login('],
        regex: re(String.raw `(?:(?<![A-Za-z0-9])discord[\w.-]{0,24}?${ASSIGN}|\.login\([^\S\r\n]*["'\x60])` +
            String.raw `([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])`, 'i'),
        entropy: 4,
        validate: isDiscordBotToken,
    },
    {
        id: 'microsoft-teams-webhook-url',
        title: 'Microsoft Teams or Power Automate webhook URL',
        description: 'A Microsoft Teams incoming webhook (`…webhook.office.com/webhookb2/…`) or Power Automate / ' +
            'Logic Apps workflow URL (`…logic.azure.com…sig=…`): anyone can post into the channel or run ' +
            'the flow with it. Remove the connector or regenerate the workflow trigger’s URL.',
        severity: 'medium',
        keywords: ['webhook.office.com', 'logic.azure.com'],
        regex: re(String.raw `https:\/\/[A-Za-z0-9-]{1,64}\.webhook\.office\.com\/webhookb2\/${UUID}@${UUID}\/IncomingWebhook\/[A-Fa-f0-9]{32}\/${UUID}(?:\/[A-Za-z0-9_-]{20,100})?` +
            String.raw `|https:\/\/[A-Za-z0-9-]{1,64}\.(?:[A-Za-z0-9-]{1,40}\.)?logic\.azure\.com(?::443)?\/workflows\/[A-Fa-f0-9]{32}\/triggers\/[A-Za-z0-9_]{1,64}\/paths\/invoke\?[^\s"'<>]{0,256}?\bsig=[A-Za-z0-9_%-]{43,64}`),
        entropy: 3,
    },
    {
        id: 'mattermost-token',
        title: 'Mattermost access token or webhook',
        description: 'A Mattermost personal access or bot token assigned to a Mattermost setting, or the key of an ' +
            'incoming webhook on a Mattermost server: it reads or posts as the user or bot. Revoke it in ' +
            'Profile → Security → Personal access tokens, or delete the webhook in Integrations.',
        severity: 'medium',
        precision: 'medium',
        keywords: ['mattermost'],
        regex: re(String.raw `(?:(?<![A-Za-z0-9])mattermost[\w.-]{0,24}?(?:token|key|secret)[\w.-]{0,12}?${ASSIGN}` +
            String.raw `|https?:\/\/[^\s\/"'<>]{0,64}?mattermost[^\s\/"'<>]{0,64}\/hooks\/)([a-z0-9]{26})(?![A-Za-z0-9])`, 'i'),
        entropy: 3.5,
    },
    // ── Social ────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'facebook-access-token',
        title: 'Facebook (Meta) access token',
        description: 'A Facebook Graph API user, page or system-user access token (`EAA…`): it reads and publishes ' +
            'as the user or page with the permissions granted. Invalidate it (change the password, remove ' +
            'the app, or reset the app secret) in Meta for Developers.',
        severity: 'high',
        keywords: ['eaa'],
        publicPrefix: true,
        // A base64 blob that happens to hold `EAA` is not one: it holds `+` or `/` within 100 characters.
        regex: /(?<![A-Za-z0-9+/_-])(EAA[A-Za-z0-9]{100,600})(?![A-Za-z0-9+/=_-])/,
        entropy: 4.5,
    },
    {
        id: 'twitter-bearer-token',
        title: 'Twitter / X bearer token',
        description: 'A Twitter (X) API app-only bearer token (22 `A`s and a URL-encoded key): it reads the API with ' +
            'the app’s access level. Regenerate it in the developer portal → Projects & Apps → Keys and tokens.',
        severity: 'medium',
        keywords: ['aaaaaaaaaaaaaaaaaaaaaa'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9%])(A{22}[A-Za-z0-9%]{80,120})(?![A-Za-z0-9%])/,
        validate: (token) => /[a-z]/.test(token) && /[0-9]/.test(token),
    },
    // ── Mail ──────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'sendinblue-api-key',
        title: 'Brevo (Sendinblue) API or SMTP key',
        description: 'A Brevo (formerly Sendinblue) API key (`xkeysib-`) or SMTP key (`xsmtpsib-`): it sends mail ' +
            'from your domains and reads contacts. Delete it in Brevo → SMTP & API → API keys.',
        severity: 'high',
        keywords: ['xkeysib-', 'xsmtpsib-'],
        publicPrefix: true,
        regex: /\b(x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})\b/,
        entropy: 3,
    },
    {
        id: 'mailchimp-api-key',
        title: 'Mailchimp API key',
        description: 'A Mailchimp Marketing API key (32 hex digits and its data-center suffix `-us…`): it reads ' +
            'audiences and sends campaigns. Disable it at Account → Extras → API keys.',
        severity: 'high',
        keywords: ['-us'],
        regex: /(?<![A-Za-z0-9-])([a-f0-9]{32}-us[0-9]{1,2})(?![A-Za-z0-9-])/,
        entropy: 3,
    },
    {
        id: 'postmark-server-token',
        title: 'Postmark server or account token',
        description: 'A Postmark server or account API token assigned to a Postmark setting: it sends mail from the ' +
            'server’s sender signatures, or manages servers and domains. Regenerate it in the server’s (or ' +
            'account’s) API Tokens tab.',
        severity: 'high',
        precision: 'medium',
        keywords: ['postmark'],
        regex: re(assigned(String.raw `postmark[\w.-]{0,20}?(?:token|key)`, UUID), 'i'),
        entropy: 3,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/observability.ts

/**
 * A Grafana service account token ends with the CRC-32 of everything before its last `_`, as four
 * little-endian bytes in hex (Grafana's `satokengen`).
 */
function hasGrafanaChecksum(token) {
    const cut = token.lastIndexOf('_');
    const crc = crc32(token.slice(0, cut));
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(crc);
    return bytes.toString('hex') === token.slice(cut + 1).toLowerCase();
}
/** A Sentry organization token is `sntrys_` + base64 JSON claims (with `iat`) + `_` + a secret. */
function hasSentryClaims(token) {
    const claims = base64Json(token.slice('sntrys_'.length, token.lastIndexOf('_')));
    return typeof claims?.iat === 'number';
}
/** A legacy Grafana API key is the base64 of `{"k":…,"n":…,"id":…}`. */
function hasGrafanaKeyClaims(key) {
    const claims = base64Json(key);
    return typeof claims?.k === 'string' && typeof claims.n === 'string';
}
const OBSERVABILITY_RULES = [
    // ── New Relic ─────────────────────────────────────────────────────────────────────────────────
    {
        id: 'new-relic-user-api-key',
        title: 'New Relic user API key',
        description: 'A New Relic user API key (`NRAK-`): it queries and changes the accounts its user can reach ' +
            '(NerdGraph). Delete it at one.newrelic.com → API keys.',
        severity: 'high',
        keywords: ['nrak-'],
        publicPrefix: true,
        regex: /\b(NRAK-[A-Z0-9]{27})\b/,
        entropy: 3.5,
    },
    {
        id: 'new-relic-insert-key',
        title: 'New Relic Insights insert or query key',
        description: 'A New Relic Insights insert (`NRII-`) or query (`NRIQ-`) key: it writes custom events into ' +
            'the account, or reads them. Delete it at one.newrelic.com → API keys.',
        severity: 'medium',
        keywords: ['nrii-', 'nriq-'],
        publicPrefix: true,
        regex: /\b(NRI[IQ]-[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'new-relic-license-key',
        title: 'New Relic license (ingest) key',
        description: 'A New Relic license key (40 characters ending in `NRAL`): agents report data into the account ' +
            'with it. Delete the ingest key at one.newrelic.com → API keys and redeploy the agents with a new one.',
        severity: 'medium',
        keywords: ['nral'],
        regex: /\b([a-f0-9]{36}NRAL)\b/,
        entropy: 3,
    },
    // ── Sentry and Grafana ────────────────────────────────────────────────────────────────────────
    {
        id: 'sentry-user-token',
        title: 'Sentry user auth token',
        description: 'A Sentry user auth token (`sntryu_`): it calls the Sentry API as its user with the scopes ' +
            'granted (read events, change projects). Revoke it at sentry.io → User settings → Auth Tokens.',
        severity: 'high',
        keywords: ['sntryu_'],
        publicPrefix: true,
        regex: /\b(sntryu_[a-f0-9]{64})\b/,
        entropy: 3,
    },
    {
        id: 'sentry-org-token',
        title: 'Sentry organization auth token',
        description: 'A Sentry organization auth token (`sntrys_`): it uploads releases and source maps for the ' +
            'organization (CI). Revoke it at sentry.io → Settings → Auth Tokens.',
        severity: 'medium',
        keywords: ['sntrys_'],
        publicPrefix: true,
        regex: /\b(sntrys_eyJ[A-Za-z0-9+/=]{30,600}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])/,
        validate: hasSentryClaims,
    },
    {
        id: 'grafana-cloud-token',
        title: 'Grafana Cloud access policy token',
        description: 'A Grafana Cloud access policy or API token (`glc_`): it reads or writes metrics, logs and ' +
            'traces, or manages the stack, as its policy allows. Delete it at grafana.com → Administration ' +
            '→ Access policies.',
        severity: 'high',
        keywords: ['glc_'],
        publicPrefix: true,
        regex: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=])/,
        entropy: 4,
    },
    {
        id: 'grafana-service-account-token',
        title: 'Grafana service account token',
        description: 'A Grafana service account token (`glsa_`): it calls the Grafana API with the service account’s ' +
            'role (dashboards, data sources, alerting). Delete it in Administration → Service accounts.',
        severity: 'high',
        keywords: ['glsa_'],
        publicPrefix: true,
        regex: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/,
        validate: hasGrafanaChecksum,
    },
    {
        id: 'grafana-api-key',
        title: 'Grafana API key (legacy)',
        description: 'A legacy Grafana API key (`eyJrIjoi…`, base64 JSON): it calls the Grafana API with its role. ' +
            'Delete it in Administration → API keys and move to service accounts.',
        severity: 'high',
        keywords: ['eyjrijoi'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9+/])(eyJrIjoi[A-Za-z0-9]{40,400}={0,2})(?![A-Za-z0-9+/=])/,
        validate: hasGrafanaKeyClaims,
    },
    // ── Other APM ─────────────────────────────────────────────────────────────────────────────────
    {
        id: 'dynatrace-api-token',
        title: 'Dynatrace API or platform token',
        description: 'A Dynatrace access token (`dt0c01.`) or platform token (`dt0s01.`): it reads monitoring data ' +
            'or changes the environment as its scopes allow. Revoke it in Access tokens (or Account ' +
            'Management → Platform tokens).',
        severity: 'high',
        keywords: ['dt0c01.', 'dt0s01.'],
        publicPrefix: true,
        regex: /\b(dt0[cs]01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b/,
        entropy: 4,
    },
    {
        id: 'honeycomb-api-key',
        title: 'Honeycomb API key',
        description: 'A Honeycomb ingest or configuration key assigned to a Honeycomb setting: it sends events into ' +
            'the environment, or changes its datasets and triggers. Delete it in Environment settings → API Keys.',
        severity: 'medium',
        precision: 'medium',
        keywords: ['honeycomb'],
        regex: re(assigned(String.raw `honeycomb[\w.-]{0,20}?(?:key|token)`, '[a-f0-9]{32}|[A-Za-z0-9]{22}', 'A-Za-z0-9'), 'i'),
        entropy: 3.5,
    },
    {
        id: 'splunk-hec-token',
        title: 'Splunk HTTP Event Collector token',
        description: 'A Splunk HTTP Event Collector token, assigned to a Splunk setting or sent as ' +
            '`Authorization: Splunk …`: it writes events into the indexes it allows. Disable or delete it ' +
            'in Settings → Data inputs → HTTP Event Collector.',
        severity: 'medium',
        precision: 'medium',
        keywords: ['splunk'],
        regex: re(String.raw `(?:(?<![A-Za-z0-9])splunk[\w.-]{0,24}?(?:token|key)[\w.-]{0,12}?${ASSIGN}|\bSplunk[^\S\r\n]+)` +
            String.raw `(${UUID})(?![A-Za-z0-9-])`, 'i'),
        entropy: 3,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/payments.ts

const PAYMENT_RULES = [
    {
        id: 'square-access-token',
        title: 'Square access token',
        description: 'A Square access token (`EAAA…`, legacy `sq0atp-`): it takes payments, issues refunds and reads ' +
            'customers as the seller. Revoke it in the Square Developer Dashboard → Credentials (or the ' +
            'OAuth revoke endpoint).',
        severity: 'critical',
        keywords: ['eaaa', 'sq0atp-'],
        publicPrefix: true,
        regex: /\b(EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'square-oauth-secret',
        title: 'Square application secret',
        description: 'A Square OAuth application secret (`sq0csp-`): with the application id it exchanges codes for ' +
            'sellers’ access tokens. Replace it in the Square Developer Dashboard → OAuth.',
        severity: 'high',
        keywords: ['sq0csp-'],
        publicPrefix: true,
        regex: /\b(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'braintree-access-token',
        title: 'Braintree (PayPal) access token',
        description: 'A Braintree access token for PayPal payments (`access_token$production$…`): it creates ' +
            'transactions and refunds on the merchant account. Revoke it in the PayPal developer dashboard ' +
            'or the Braintree Control Panel (API → Access tokens).',
        severity: 'critical',
        keywords: ['access_token$production$', 'access_token$sandbox$'],
        publicPrefix: true,
        regex: /\b(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})\b/,
        entropy: 3,
    },
    {
        id: 'razorpay-key-secret',
        title: 'Razorpay key secret',
        description: 'A Razorpay API key secret, assigned to a Razorpay setting or written after its key id ' +
            '(`rzp_live_…:…`): with the id it creates orders, captures payments and issues refunds. ' +
            'Regenerate the key in the Razorpay Dashboard → Account & Settings → API Keys.',
        severity: 'critical',
        precision: 'medium',
        keywords: ['razorpay', 'rzp_live_', 'rzp_test_'],
        regex: re(String.raw `(?:(?<![A-Za-z0-9])razorpay[\w.-]{0,24}?secret[\w.-]{0,12}?${ASSIGN}` +
            String.raw `|\brzp_(?:live|test)_[A-Za-z0-9]{14}[^\S\r\n]*[:,][^\S\r\n]*["']?)([A-Za-z0-9]{24})(?![A-Za-z0-9])`, 'i'),
        entropy: 3.5,
    },
    {
        id: 'plaid-access-token',
        title: 'Plaid access token',
        description: 'A Plaid access token (`access-production-…`, `access-development-…`, `access-sandbox-…`): with ' +
            'the client credentials it reads the linked bank accounts and transactions. Remove the Item ' +
            '(`/item/remove`) and rotate the Plaid secret if that leaked too.',
        severity: 'high',
        keywords: ['access-production-', 'access-development-', 'access-sandbox-'],
        publicPrefix: true,
        regex: /\b(access-(?:production|development|sandbox)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
        entropy: 3,
    },
    {
        id: 'flutterwave-secret-key',
        title: 'Flutterwave secret key',
        description: 'A Flutterwave secret key (`FLWSECK-…-X`, test `FLWSECK_TEST-…-X`): it initiates charges, ' +
            'transfers and refunds on the account. Regenerate it in the Flutterwave dashboard → Settings → API.',
        severity: 'critical',
        keywords: ['flwseck-', 'flwseck_test-'],
        publicPrefix: true,
        regex: /\b(FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'shippo-api-token',
        title: 'Shippo API token',
        description: 'A Shippo live or test API token (`shippo_live_`, `shippo_test_`): it buys labels billed to the ' +
            'account and reads shipments and addresses. Regenerate it at apps.goshippo.com → Settings → API.',
        severity: 'high',
        keywords: ['shippo_live_', 'shippo_test_'],
        publicPrefix: true,
        regex: /\b(shippo_(?:live|test)_[a-f0-9]{40})\b/,
        entropy: 3,
    },
    {
        id: 'easypost-api-key',
        title: 'EasyPost API key',
        description: 'An EasyPost production (`EZAK`) or test (`EZTK`) API key: it buys postage billed to the account ' +
            'and reads shipments. Delete it at easypost.com → Account settings → API keys.',
        severity: 'high',
        keywords: ['ezak', 'eztk'],
        publicPrefix: true,
        regex: /\b(EZ[AT]K[A-Za-z0-9]{54})\b/,
        entropy: 3.5,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/productivity.ts

/** A Mapbox token's middle part is the base64url of `{"u":"<user>","a":"<id>"}`. */
function hasMapboxClaims(token) {
    const [, claims] = token.split('.');
    return typeof base64Json(claims ?? '')?.u === 'string';
}
const PRODUCTIVITY_RULES = [
    {
        id: 'linear-api-key',
        title: 'Linear API key or OAuth token',
        description: 'A Linear personal API key (`lin_api_`) or OAuth access token (`lin_oauth_`): it reads and ' +
            'changes the workspace’s issues and projects as its user. Revoke it in Linear → Settings → ' +
            'Security & access (API keys).',
        severity: 'high',
        keywords: ['lin_api_', 'lin_oauth_'],
        publicPrefix: true,
        regex: /\b(lin_api_[A-Za-z0-9]{40}|lin_oauth_[a-f0-9]{64})\b/,
        entropy: 3.5,
    },
    {
        id: 'notion-api-token',
        title: 'Notion integration token',
        description: 'A Notion internal integration secret (`ntn_`, older `secret_`): it reads and edits every page ' +
            'and database shared with the integration. Refresh it at notion.so/my-integrations.',
        severity: 'high',
        keywords: ['ntn_', 'secret_'],
        publicPrefix: true,
        regex: /\b(ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b/,
        entropy: 4,
    },
    {
        id: 'postman-api-key',
        title: 'Postman API key',
        description: 'A Postman API key (`PMAK-`): it reads and changes the workspaces, collections and environments ' +
            '(with their secrets) of its user. Revoke it in Postman → Settings → API keys.',
        severity: 'high',
        keywords: ['pmak-'],
        publicPrefix: true,
        regex: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/,
        entropy: 3,
    },
    {
        id: '1password-service-account-token',
        title: '1Password service account token',
        description: 'A 1Password service account token (`ops_eyJ…`): it reads (and maybe writes) every item in the ' +
            'vaults granted to the service account. Revoke it in 1Password → Developer → Service accounts ' +
            'and rotate the secrets it could read.',
        severity: 'critical',
        keywords: ['ops_eyj'],
        publicPrefix: true,
        regex: /\b(ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3})(?![A-Za-z0-9+/=])/,
        entropy: 4,
    },
    {
        id: '1password-secret-key',
        title: '1Password account Secret Key',
        description: 'A 1Password account Secret Key (`A3-…`): with the account password it decrypts the whole ' +
            'account. Change the account password and regenerate the Secret Key (Profile → Security).',
        severity: 'critical',
        keywords: ['a3-'],
        publicPrefix: true,
        regex: /\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b/,
        entropy: 3.5,
    },
    {
        id: 'figma-token',
        title: 'Figma personal access token',
        description: 'A Figma personal access token (`figd_`): it reads (and with write scopes, changes) every file ' +
            'its user can open. Revoke it in Figma → Settings → Security → Personal access tokens.',
        severity: 'medium',
        keywords: ['figd_'],
        publicPrefix: true,
        regex: /\b(figd_[A-Za-z0-9_-]{40,64})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'dropbox-access-token',
        title: 'Dropbox short-lived access token',
        description: 'A Dropbox API access token (`sl.`): for a few hours it reads and writes the files its app may ' +
            'reach. Revoke it (`/2/auth/token/revoke`) and rotate the refresh token or app secret it came from.',
        severity: 'medium',
        keywords: ['sl.'],
        publicPrefix: true,
        regex: /(?<![A-Za-z0-9_.-])(sl\.(?:u\.)?[A-Za-z0-9_-]{130,1400})(?![A-Za-z0-9_-])/,
        entropy: 4.5,
    },
    {
        id: 'contentful-pat',
        title: 'Contentful personal access token',
        description: 'A Contentful Content Management personal access token (`CFPAT-`): it creates, changes and ' +
            'publishes content in every space of its user. Revoke it in Contentful → Account settings → CMA tokens.',
        severity: 'high',
        keywords: ['cfpat-'],
        publicPrefix: true,
        regex: /\b(CFPAT-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'okta-api-token',
        title: 'Okta API token',
        description: 'An Okta API token (`SSWS 00…`, or assigned to an Okta setting): it manages users, groups and ' +
            'applications with its creator’s admin role. Revoke it in the Okta Admin Console → Security → ' +
            'API → Tokens.',
        severity: 'critical',
        precision: 'medium',
        keywords: ['ssws', 'okta'],
        regex: re(String.raw `(?:\bSSWS[^\S\r\n]+|(?<![A-Za-z0-9])okta[\w.-]{0,24}?${ASSIGN})(00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`, 'i'),
        entropy: 4,
    },
    {
        id: 'airtable-pat',
        title: 'Airtable personal access token',
        description: 'An Airtable personal access token (`pat….…`): it reads and writes the bases its scopes allow. ' +
            'Delete it at airtable.com/create/tokens.',
        severity: 'high',
        keywords: ['pat'],
        publicPrefix: true,
        regex: /\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b/,
        entropy: 3.5,
    },
    {
        id: 'hubspot-private-app-token',
        title: 'HubSpot private app access token',
        description: 'A HubSpot private app access token (`pat-na1-…`, `pat-eu1-…`): it reads and changes CRM ' +
            'records with the app’s scopes. Rotate it in HubSpot → Settings → Integrations → Private Apps.',
        severity: 'high',
        keywords: ['pat-'],
        publicPrefix: true,
        regex: /\b(pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
        entropy: 3,
    },
    {
        id: 'mapbox-secret-token',
        title: 'Mapbox secret access token',
        description: 'A Mapbox secret access token (`sk.eyJ…`, unlike the public `pk.` tokens): it uploads tilesets ' +
            'and styles and reads account data, billed to the account. Delete it at account.mapbox.com → Tokens.',
        severity: 'high',
        keywords: ['sk.eyj'],
        publicPrefix: true,
        regex: /\b(sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{20,40})(?![A-Za-z0-9_.-])/,
        validate: hasMapboxClaims,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/saas.ts

const SAAS_RULES = [
    // ── Slack ─────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'slack-bot-token',
        title: 'Slack bot token',
        description: 'A Slack bot token (`xoxb-`): it reads and posts in every channel the bot is in. Revoke it by ' +
            'reinstalling the app or with `auth.revoke`, at api.slack.com/apps → OAuth & Permissions.',
        severity: 'high',
        keywords: ['xoxb-'],
        publicPrefix: true,
        regex: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{20,32})\b/,
        entropy: 3,
    },
    {
        id: 'slack-user-token',
        title: 'Slack user token',
        description: 'A Slack user token (`xoxp-`): it acts as the user who installed the app, including their ' +
            'private messages. Revoke it with `auth.revoke` or at api.slack.com/apps → OAuth & Permissions.',
        severity: 'high',
        keywords: ['xoxp-'],
        publicPrefix: true,
        regex: /\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/,
        entropy: 3,
    },
    {
        id: 'slack-config-token',
        title: 'Slack configuration token',
        description: 'A Slack app configuration access token (`xoxe.xoxp-`, `xoxe.xoxb-`) or its refresh token ' +
            '(`xoxe-`): it creates and changes the workspace’s apps. Revoke it at api.slack.com/apps → ' +
            'Your App Configuration Tokens.',
        severity: 'high',
        keywords: ['xoxe'],
        publicPrefix: true,
        regex: /\b((?:xoxe\.xox[bp]|xoxe)-[0-9]-[A-Za-z0-9]{140,170})(?![A-Za-z0-9])/,
        entropy: 3.5,
    },
    {
        id: 'slack-app-token',
        title: 'Slack app-level token',
        description: 'A Slack app-level token (`xapp-`): it opens Socket Mode connections that receive the app’s ' +
            'events. Revoke it at api.slack.com/apps → Basic Information → App-Level Tokens.',
        severity: 'high',
        keywords: ['xapp-'],
        publicPrefix: true,
        regex: /\b(xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,13}-[A-Za-z0-9]{32,80})\b/,
        entropy: 3,
    },
    {
        id: 'slack-legacy-token',
        title: 'Slack legacy or workspace token',
        description: 'A Slack legacy, workspace or refresh token (`xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`). Revoke it with ' +
            '`auth.revoke` or remove the legacy token in the workspace’s app management.',
        severity: 'high',
        keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'],
        publicPrefix: true,
        regex: /\b(xox[aors]-[0-9]{1,13}(?:-[0-9]{1,13}){0,3}-[A-Za-z0-9]{8,200})(?![A-Za-z0-9-])/,
        entropy: 3,
    },
    {
        id: 'slack-webhook-url',
        title: 'Slack incoming webhook URL',
        description: 'A Slack incoming or workflow webhook URL: anyone can post messages with it into the channel. ' +
            'Remove the webhook (api.slack.com/apps → Incoming Webhooks, or the workflow’s trigger) and create a new one.',
        severity: 'medium',
        keywords: ['hooks.slack.com'],
        regex: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Za-z0-9/]{20,120})(?![A-Za-z0-9/])/,
        entropy: 3.5,
    },
    // ── Stripe ────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'stripe-live-secret-key',
        title: 'Stripe live secret key',
        description: 'A Stripe live secret or restricted key: it moves real money (charges, refunds, payouts). Roll ' +
            'it at dashboard.stripe.com → Developers → API keys and update its users.',
        severity: 'critical',
        keywords: ['sk_live_', 'rk_live_'],
        publicPrefix: true,
        regex: /\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b/,
        entropy: 3,
    },
    {
        id: 'stripe-test-secret-key',
        title: 'Stripe test secret key',
        description: 'A Stripe test-mode secret or restricted key: no real money, but it reads and writes the test ' +
            'account’s data. Roll it at dashboard.stripe.com → Developers → API keys (test mode).',
        severity: 'low',
        keywords: ['sk_test_', 'rk_test_'],
        publicPrefix: true,
        regex: /\b((?:sk|rk)_test_[A-Za-z0-9]{24,247})\b/,
        entropy: 3,
    },
    {
        id: 'stripe-webhook-secret',
        title: 'Webhook signing secret (Stripe, Svix)',
        description: 'A webhook signing secret (`whsec_`): with it anyone can forge webhook events your endpoint ' +
            'trusts. Roll the endpoint’s signing secret in the provider’s dashboard (Stripe: Developers → Webhooks).',
        severity: 'medium',
        keywords: ['whsec_'],
        publicPrefix: true,
        regex: /\b(whsec_[A-Za-z0-9+/]{32,88}={0,2})(?![A-Za-z0-9+/=])/,
        entropy: 3.5,
    },
    // ── Package registries ────────────────────────────────────────────────────────────────────────
    {
        id: 'npm-access-token',
        title: 'npm access token',
        description: 'An npm access token: it may publish new versions of your packages (a supply-chain attack). ' +
            'Revoke it at npmjs.com → Access Tokens (or `npm token revoke`) and prefer granular, ' +
            'short-lived or trusted-publishing tokens.',
        severity: 'critical',
        keywords: ['npm_'],
        publicPrefix: true,
        regex: /\b(npm_[A-Za-z0-9]{36})\b/,
        entropy: 3,
    },
    {
        id: 'pypi-upload-token',
        title: 'PyPI upload token',
        description: 'A PyPI (or TestPyPI) API token: it uploads releases of your projects. Remove it at pypi.org → ' +
            'Account settings → API tokens and prefer trusted publishing.',
        severity: 'critical',
        keywords: ['pypi-'],
        publicPrefix: true,
        regex: /\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'docker-hub-pat',
        title: 'Docker Hub access token',
        description: 'A Docker Hub personal or organization access token: it pulls and may push images as its ' +
            'owner. Delete it at hub.docker.com → Account settings → Personal access tokens.',
        severity: 'high',
        keywords: ['dckr_pat_', 'dckr_oat_'],
        publicPrefix: true,
        regex: /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    // ── SaaS APIs ─────────────────────────────────────────────────────────────────────────────────
    {
        id: 'openai-api-key',
        title: 'OpenAI API key',
        description: 'An OpenAI project, service-account, admin or legacy API key: it spends the organization’s ' +
            'credits and reads its files. Revoke it at platform.openai.com → API keys.',
        severity: 'high',
        // `sk-` is the public marker of the legacy keys (`sk-…T3BlbkFJ…`), which start with no longer one.
        keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-', 't3blbkfj'],
        publicPrefix: true,
        regex: /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'anthropic-api-key',
        title: 'Anthropic API key',
        description: 'An Anthropic API or admin key: it spends the organization’s credits. Delete it at ' +
            'console.anthropic.com → Settings → API keys.',
        severity: 'high',
        keywords: ['sk-ant-'],
        publicPrefix: true,
        regex: /\b(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'sendgrid-api-key',
        title: 'SendGrid API key',
        description: 'A Twilio SendGrid API key: it sends mail as your domains (phishing that passes SPF/DKIM). ' +
            'Delete it at app.sendgrid.com → Settings → API Keys.',
        severity: 'high',
        keywords: ['sg.'],
        publicPrefix: true,
        regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
    {
        id: 'twilio-api-key',
        title: 'Twilio API key',
        description: 'A Twilio API key SID (`SK…`); its secret is usually nearby. Together they send messages and ' +
            'calls billed to the account. Delete the key in the Twilio console → API keys & tokens.',
        severity: 'high',
        keywords: ['sk'],
        regex: /\b(SK[0-9a-f]{32})\b/,
        entropy: 3,
    },
    {
        id: 'mailgun-api-key',
        title: 'Mailgun API key',
        description: 'A Mailgun private API key (`key-…`): it sends mail from your domains and reads logs. Rotate ' +
            'it in the Mailgun dashboard → API Security.',
        severity: 'high',
        keywords: ['key-'],
        publicPrefix: true,
        regex: /\b(key-[0-9a-f]{32})\b/,
        entropy: 3,
    },
    {
        id: 'shopify-token',
        title: 'Shopify access token or shared secret',
        description: 'A Shopify Admin API access token (`shpat_`, `shpca_`, `shppa_`) or app shared secret ' +
            '(`shpss_`): it reads and changes the store’s orders, customers and products. Uninstall or ' +
            'rotate the app credentials in the Shopify admin or Partner dashboard.',
        severity: 'high',
        keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
        publicPrefix: true,
        regex: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/,
        entropy: 3,
    },
    {
        id: 'datadog-api-key',
        title: 'Datadog API or application key',
        description: 'A Datadog API key (submits metrics and logs) or application key (reads dashboards and data). ' +
            'Revoke it in Datadog → Organization settings → API Keys / Application Keys.',
        severity: 'medium',
        keywords: ['datadog', 'dd'],
        regex: re(String.raw `(?:\bdatadog|(?<![A-Za-z0-9])dd)[_.-]?(?:api|app(?:lication)?)[_.-]?key\b` +
            ASSIGN +
            String.raw `([a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])`, 'i'),
        entropy: 3,
    },
    {
        id: 'telegram-bot-token',
        title: 'Telegram bot token',
        description: 'A Telegram Bot API token: it reads and sends the bot’s messages. Revoke it by sending ' +
            '`/revoke` to @BotFather.',
        severity: 'medium',
        keywords: [':aa'],
        regex: /(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
        entropy: 3.5,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules/vcs.ts
const VCS_RULES = [
    // ── GitHub ────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'github-pat',
        title: 'GitHub personal access token (classic)',
        description: 'A classic GitHub personal access token: it acts as its user on every repository and org the ' +
            'scopes allow. Delete it at Settings → Developer settings → Personal access tokens and create ' +
            'a new one (prefer a fine-grained token).',
        severity: 'critical',
        keywords: ['ghp_'],
        publicPrefix: true,
        regex: /\b(ghp_[A-Za-z0-9]{36})\b/,
        entropy: 3,
    },
    {
        id: 'github-fine-grained-pat',
        title: 'GitHub fine-grained personal access token',
        description: 'A fine-grained GitHub personal access token: it acts as its user on the repositories it was ' +
            'granted. Revoke it at Settings → Developer settings → Fine-grained tokens and create a new one.',
        severity: 'critical',
        keywords: ['github_pat_'],
        publicPrefix: true,
        regex: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/,
        entropy: 3,
    },
    {
        id: 'github-oauth-token',
        title: 'GitHub OAuth access token',
        description: 'A GitHub OAuth app user token: it acts as the user with the scopes they granted the app. ' +
            'Revoke it (Settings → Applications, or the OAuth app’s “Revoke all user tokens”).',
        severity: 'high',
        keywords: ['gho_'],
        publicPrefix: true,
        regex: /\b(gho_[A-Za-z0-9]{36})\b/,
        entropy: 3,
    },
    {
        id: 'github-app-token',
        title: 'GitHub App token',
        description: 'A GitHub App user-to-server (`ghu_`) or installation (`ghs_`, e.g. an Actions `GITHUB_TOKEN`) ' +
            'token. It expires within hours; revoke it through the API (`DELETE /installation/token`) and ' +
            'rotate the app’s private key if that leaked too.',
        severity: 'high',
        keywords: ['ghu_', 'ghs_'],
        publicPrefix: true,
        regex: /\b((?:ghu|ghs)_[A-Za-z0-9]{36,251})\b/,
        entropy: 3,
    },
    {
        id: 'github-refresh-token',
        title: 'GitHub refresh token',
        description: 'A GitHub App refresh token: it mints new user-to-server tokens for six months. Revoke the ' +
            'user’s authorization of the app (Settings → Applications) so it can no longer be used.',
        severity: 'high',
        keywords: ['ghr_'],
        publicPrefix: true,
        regex: /\b(ghr_[A-Za-z0-9]{36,251})\b/,
        entropy: 3,
    },
    // ── GitLab ────────────────────────────────────────────────────────────────────────────────────
    {
        id: 'gitlab-pat',
        title: 'GitLab personal access token',
        description: 'A GitLab personal, project or group access token: it calls the API (and may push) as its ' +
            'owner. Revoke it under Access tokens in the user, project or group settings and create a new one.',
        severity: 'critical',
        keywords: ['glpat-'],
        publicPrefix: true,
        regex: /\b(glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'gitlab-deploy-token',
        title: 'GitLab deploy token',
        description: 'A GitLab deploy token: it reads (and maybe writes) the repository, package or container ' +
            'registry. Revoke it in the project’s Settings → Repository → Deploy tokens.',
        severity: 'high',
        keywords: ['gldt-'],
        publicPrefix: true,
        regex: /\b(gldt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'gitlab-runner-token',
        title: 'GitLab runner token',
        description: 'A GitLab runner authentication (`glrt-`) or registration (`GR1348941`) token: it registers ' +
            'runners that receive CI jobs and their secrets. Reset it in Settings → CI/CD → Runners and ' +
            're-register the runners.',
        severity: 'high',
        keywords: ['glrt-', 'gr1348941'],
        publicPrefix: true,
        regex: /\b(glrt-[A-Za-z0-9_-]{20,300}|GR1348941[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'gitlab-pipeline-trigger-token',
        title: 'GitLab pipeline trigger token',
        description: 'A GitLab pipeline trigger token: it starts pipelines on any branch, with their variables. ' +
            'Revoke it in the project’s Settings → CI/CD → Pipeline trigger tokens.',
        severity: 'medium',
        keywords: ['glptt-'],
        publicPrefix: true,
        regex: /\b(glptt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'gitlab-token',
        title: 'GitLab token',
        description: 'Another GitLab token: CI job (`glcbt-`), OAuth application secret (`gloas-`), SCIM (`glsoat-`), ' +
            'feed (`glft-`), incoming mail (`glimt-`), feature flag client (`glffct-`) or Kubernetes agent ' +
            '(`glagent-`). Revoke or reset it where it was created in GitLab.',
        severity: 'medium',
        keywords: ['glcbt-', 'gloas-', 'glsoat-', 'glft-', 'glimt-', 'glffct-', 'glagent-'],
        publicPrefix: true,
        regex: /\b((?:glcbt|gloas|glsoat|glft|glimt|glffct|glagent)-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
        entropy: 3,
    },
    {
        id: 'gitlab-session-cookie',
        title: 'GitLab session cookie',
        description: 'A GitLab web session cookie (`_gitlab_session=`): whoever replays it is logged in as the user ' +
            'until the session ends. Revoke the session in User settings → Active sessions and sign out ' +
            'everywhere.',
        severity: 'high',
        keywords: ['_gitlab_session='],
        regex: /\b_gitlab_session=([0-9a-f]{32})(?![0-9a-zA-Z])/,
        entropy: 3,
    },
    // ── Bitbucket and Atlassian ───────────────────────────────────────────────────────────────────
    {
        id: 'bitbucket-app-password',
        title: 'Bitbucket app password',
        description: 'A Bitbucket Cloud app password (`ATBB`): it reads and maybe pushes the repositories its ' +
            'permissions allow, as its user. Revoke it at bitbucket.org → Personal settings → App passwords ' +
            '(and move to API tokens).',
        severity: 'high',
        keywords: ['atbb'],
        publicPrefix: true,
        regex: /\b(ATBB[A-Za-z0-9]{24}[A-F0-9]{8})\b/,
        entropy: 3.5,
    },
    {
        id: 'atlassian-api-token',
        title: 'Atlassian API token (Jira, Confluence, Bitbucket)',
        description: 'An Atlassian Cloud API token (`ATATT3…`) or Bitbucket repository, project or workspace access ' +
            'token (`ATCTT3…`): it calls Jira, Confluence or Bitbucket as its owner. Revoke it at ' +
            'id.atlassian.com → Security → API tokens, or in the repository’s Access tokens.',
        severity: 'high',
        keywords: ['atatt3', 'atctt3'],
        publicPrefix: true,
        // The token ends with `=` and eight hex digits (a checksum).
        regex: /\b(AT[AC]TT3[A-Za-z0-9_-]{20,250}=[A-F0-9]{8})(?![A-Za-z0-9_=-])/,
        entropy: 4,
    },
];

;// CONCATENATED MODULE: ./src/secrets-scan/rules.ts
/**
 * The built-in secret rules, modelled on what gitleaks' default config detects (our own regexes).
 * Each family lives in `rules/` (`keys.ts`, `cloud.ts`, `hosting.ts`, `vcs.ts`, `devtools.ts`,
 * `saas.ts`, `messaging.ts`, `payments.ts`, `ai.ts`, `observability.ts`, `productivity.ts`,
 * `generic.ts`); this module puts them in the order the engine needs.
 *
 * How the engine runs them (see engine.ts): a rule only runs on a file containing one of its
 * lowercase keywords; its regex runs over the whole file with `g`, `m` and `d` added; the secret is
 * capture group 1 (or the whole match when the regex has no group, or `secretGroup`); the secret
 * must not be a placeholder, must reach `entropy` and pass `validate`. When two rules match the
 * same span the earlier one wins, so specific rules come first and the generic rule comes last.
 *
 * Conventions: `[^\S\r\n]` is horizontal whitespace (a value never continues on the next line);
 * a token is bounded by `\b` or a lookaround so one embedded in a longer run does not match;
 * quantifiers are bounded and never nested ambiguously, and no rule rescans a long run from every
 * position in it, so every regex runs in time linear in the file (see the pathological-input tests).
 * `publicPrefix` marks a secret that starts with one of its keywords as a public type marker
 * (`ghp_`, `AKIA`); `precision` is `medium` for the rules that key on names rather than formats.
 */












const BUILTIN_RULES = [
    ...KEY_RULES,
    ...CLOUD_RULES,
    ...HOSTING_RULES,
    ...VCS_RULES,
    ...DEVTOOLS_RULES,
    ...SAAS_RULES,
    ...MESSAGING_RULES,
    ...PAYMENT_RULES,
    ...AI_RULES,
    ...OBSERVABILITY_RULES,
    ...PRODUCTIVITY_RULES,
    // An unnamed AWS secret next to its key ID: after every token rule, before the context rules.
    ...AWS_PAIRED_RULES,
    // Context rules (passwords in URLs, connection strings, curl and .netrc, JWT, Django, Docker,
    // Kubernetes Secrets), then generic-secret.
    ...GENERIC_RULES,
];


/***/ }),

/***/ 1119:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ ruleSetup)
/* harmony export */ });
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2347);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8689);
/**
 * The rules a scan runs: the built-in ones, changed by a configuration file (extra or replaced
 * rules, disabled ids, entropy thresholds, allowlists), compiled once.
 */


let builtin;
function ruleSetup(config) {
    if (!config)
        return (builtin ??= { rules: _rules_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILTIN_RULES */ .Y, set: (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .compileRules */ .nb)(_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILTIN_RULES */ .Y), warnings: [] });
    const warnings = [];
    const configured = new Map(config.rules.map((r) => [r.id, r]));
    const base = config.useDefault ? _rules_js__WEBPACK_IMPORTED_MODULE_1__/* .BUILTIN_RULES */ .Y : [];
    // A configured rule with a built-in id replaces it in place (its order decides which rule wins a
    // span); new rules go before generic-secret, which must stay last to lose every tie.
    const merged = base.map((r) => configured.get(r.id) ?? r);
    const added = config.rules.filter((r) => !base.some((b) => b.id === r.id));
    const genericAt = merged.findIndex((r) => r.id === 'generic-secret');
    if (genericAt === -1)
        merged.push(...added);
    else
        merged.splice(genericAt, 0, ...added);
    const known = new Set(merged.map((r) => r.id));
    for (const id of config.disabledRules) {
        if (!known.has(id))
            warnings.push(`${config.file} disables ${JSON.stringify(id)}, which is not a rule here.`);
    }
    const disabled = new Set(config.disabledRules);
    const rules = merged
        .filter((r) => !disabled.has(r.id))
        .map((r) => (config.entropy[r.id] === undefined ? r : { ...r, entropy: config.entropy[r.id] }));
    for (const id of Object.keys(config.entropy)) {
        if (!known.has(id))
            warnings.push(`${config.file} sets an entropy for ${JSON.stringify(id)}, which is not a rule here.`);
    }
    for (const { id, reason } of config.skippedRules) {
        warnings.push(`${config.file}: rule ${JSON.stringify(id)} was not loaded: ${reason}`);
    }
    if (rules.length === 0)
        warnings.push(`${config.file} leaves no rule to run.`);
    return { rules, set: (0,_engine_js__WEBPACK_IMPORTED_MODULE_0__/* .compileRules */ .nb)(rules, config.allowlists), warnings };
}


/***/ }),

/***/ 1376:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  k: () => (/* binding */ ScanPool),
  $: () => (/* binding */ runWorkerIfAsked)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
// EXTERNAL MODULE: ./src/secrets-scan/file-scan.ts + 1 modules
var file_scan = __nccwpck_require__(399);
// EXTERNAL MODULE: ./src/secrets-scan/ruleset.ts
var ruleset = __nccwpck_require__(1119);
;// CONCATENATED MODULE: ./src/secrets-scan/workers.ts
/**
 * Scan workers: a tree scan spreads its files over worker threads, one per core, so reading and
 * matching use every core. A worker is this same bundle started again with a marker in
 * `workerData` (entry points call `runWorkerIfAsked()` first), so the actions and the CLI need no
 * second file. A worker that overruns a file's time budget is ended and replaced: one pathological
 * file (a configured regex that backtracks) cannot stall the scan. Where workers cannot start (the
 * test runner loads TypeScript sources), the scan runs in the main thread.
 */





const MARKER = 'imagepipe-secrets-worker';
/** In a scan worker: serve jobs and return true. Elsewhere: false. */
function runWorkerIfAsked() {
    const init = external_node_worker_threads_namespaceObject.workerData;
    if (external_node_worker_threads_namespaceObject.isMainThread || !external_node_worker_threads_namespaceObject.parentPort || init?.[MARKER] !== true)
        return false;
    const { set } = (0,ruleset/* ruleSetup */.Y)(init.config);
    const port = external_node_worker_threads_namespaceObject.parentPort;
    port.on('message', (job) => {
        port.postMessage({ id: job.id, outcome: (0,file_scan/* scanFileSync */.NO)(job, set) });
    });
    return true;
}
/** The script a worker runs: this bundle, when running from one. */
function workerScript() {
    const file = (0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url);
    return file.endsWith('.js') || file.endsWith('.mjs') ? file : undefined;
}
class ScanPool {
    script;
    config;
    slots = [];
    queue = [];
    nextId = 0;
    closed = false;
    constructor(script, config, size) {
        this.script = script;
        this.config = config;
        for (let i = 0; i < size; i++)
            this.slots.push(this.spawn());
    }
    /** A pool of `size` workers (default: one per core), or undefined where workers cannot run. */
    static create(config, size = external_node_os_.availableParallelism()) {
        const script = workerScript();
        if (!script || size < 1 || process.env.IMAGEPIPE_WORKERS === '0')
            return undefined;
        const wanted = Number(process.env.IMAGEPIPE_WORKERS) || size;
        return new ScanPool(script, config, Math.min(wanted, 8));
    }
    get size() {
        return this.slots.length;
    }
    spawn() {
        const init = { [MARKER]: true, ...(this.config ? { config: this.config } : {}) };
        const worker = new external_node_worker_threads_namespaceObject.Worker(this.script, { workerData: init, stdout: false, stderr: false });
        const slot = { worker };
        worker.on('message', ({ id, outcome }) => {
            if (slot.busy?.id !== id)
                return;
            clearTimeout(slot.busy.timer);
            const { resolve } = slot.busy;
            slot.busy = undefined;
            resolve(outcome);
            this.pump();
        });
        worker.on('error', (error) => this.replace(slot, { kind: 'unreadable', message: `the scan worker failed: ${error.message}` }));
        worker.unref();
        return slot;
    }
    /** Ends a worker (crashed, or over a file's budget), answers its job, and starts another. */
    replace(slot, outcome) {
        const busy = slot.busy;
        slot.busy = undefined;
        if (busy)
            clearTimeout(busy.timer);
        void slot.worker.terminate();
        const index = this.slots.indexOf(slot);
        if (index !== -1 && !this.closed)
            this.slots[index] = this.spawn();
        busy?.resolve(outcome);
        this.pump();
    }
    pump() {
        for (const slot of this.slots) {
            if (slot.busy || this.queue.length === 0)
                continue;
            const { job, resolve } = this.queue.shift();
            const id = this.nextId++;
            // The worker checks the budget itself between rules and matches; this catches a single regex
            // that never returns. Twice the budget plus start-up slack, then the worker is ended.
            const timer = setTimeout(() => this.replace(slot, {
                kind: 'scanned',
                bytes: 0,
                findings: [],
                allowlisted: 0,
                overBudget: true,
            }), job.budgetMs * 2 + 1000);
            slot.busy = { id, job, timer, resolve };
            slot.worker.postMessage({ ...job, id });
        }
    }
    scan(job) {
        return new Promise((resolve) => {
            this.queue.push({ job, resolve });
            this.pump();
        });
    }
    async close() {
        this.closed = true;
        await Promise.all(this.slots.map((s) => s.worker.terminate()));
    }
}


/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 8909:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { Argument } = __nccwpck_require__(9154);
const { Command } = __nccwpck_require__(4348);
const { CommanderError, InvalidArgumentError } = __nccwpck_require__(1135);
const { Help } = __nccwpck_require__(9754);
const { Option } = __nccwpck_require__(5240);

exports.DM = new Command();

exports.gu = (name) => new Command(name);
exports.Ww = (flags, description) => new Option(flags, description);
exports.er = (name, description) => new Argument(name, description);

/**
 * Expose classes
 */

exports.uB = Command;
exports.c$ = Option;
exports.ef = Argument;
exports._V = Help;

exports.b7 = CommanderError;
exports.Di = InvalidArgumentError;
exports.a2 = InvalidArgumentError; // Deprecated


/***/ }),

/***/ 9154:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { InvalidArgumentError } = __nccwpck_require__(1135);

class Argument {
  /**
   * Initialize a new command argument with the given name and description.
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @param {string} name
   * @param {string} [description]
   */

  constructor(name, description) {
    this.description = description || '';
    this.variadic = false;
    this.parseArg = undefined;
    this.defaultValue = undefined;
    this.defaultValueDescription = undefined;
    this.argChoices = undefined;

    switch (name[0]) {
      case '<': // e.g. <required>
        this.required = true;
        this._name = name.slice(1, -1);
        break;
      case '[': // e.g. [optional]
        this.required = false;
        this._name = name.slice(1, -1);
        break;
      default:
        this.required = true;
        this._name = name;
        break;
    }

    if (this._name.endsWith('...')) {
      this.variadic = true;
      this._name = this._name.slice(0, -3);
    }
  }

  /**
   * Return argument name.
   *
   * @return {string}
   */

  name() {
    return this._name;
  }

  /**
   * @package
   */

  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }

    previous.push(value);
    return previous;
  }

  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Argument}
   */

  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }

  /**
   * Set the custom handler for processing CLI command arguments into argument values.
   *
   * @param {Function} [fn]
   * @return {Argument}
   */

  argParser(fn) {
    this.parseArg = fn;
    return this;
  }

  /**
   * Only allow argument value to be one of choices.
   *
   * @param {string[]} values
   * @return {Argument}
   */

  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(', ')}.`,
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }

  /**
   * Make argument required.
   *
   * @returns {Argument}
   */
  argRequired() {
    this.required = true;
    return this;
  }

  /**
   * Make argument optional.
   *
   * @returns {Argument}
   */
  argOptional() {
    this.required = false;
    return this;
  }
}

/**
 * Takes an argument and returns its human readable equivalent for help usage.
 *
 * @param {Argument} arg
 * @return {string}
 * @private
 */

function humanReadableArgName(arg) {
  const nameOutput = arg.name() + (arg.variadic === true ? '...' : '');

  return arg.required ? '<' + nameOutput + '>' : '[' + nameOutput + ']';
}

exports.Argument = Argument;
exports.humanReadableArgName = humanReadableArgName;


/***/ }),

/***/ 4348:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const EventEmitter = (__nccwpck_require__(8474).EventEmitter);
const childProcess = __nccwpck_require__(1421);
const path = __nccwpck_require__(6760);
const fs = __nccwpck_require__(3024);
const process = __nccwpck_require__(1708);

const { Argument, humanReadableArgName } = __nccwpck_require__(9154);
const { CommanderError } = __nccwpck_require__(1135);
const { Help, stripColor } = __nccwpck_require__(9754);
const { Option, DualOptions } = __nccwpck_require__(5240);
const { suggestSimilar } = __nccwpck_require__(5030);

class Command extends EventEmitter {
  /**
   * Initialize a new `Command`.
   *
   * @param {string} [name]
   */

  constructor(name) {
    super();
    /** @type {Command[]} */
    this.commands = [];
    /** @type {Option[]} */
    this.options = [];
    this.parent = null;
    this._allowUnknownOption = false;
    this._allowExcessArguments = false;
    /** @type {Argument[]} */
    this.registeredArguments = [];
    this._args = this.registeredArguments; // deprecated old name
    /** @type {string[]} */
    this.args = []; // cli args with options removed
    this.rawArgs = [];
    this.processedArgs = []; // like .args but after custom processing and collecting variadic
    this._scriptPath = null;
    this._name = name || '';
    this._optionValues = {};
    this._optionValueSources = {}; // default, env, cli etc
    this._storeOptionsAsProperties = false;
    this._actionHandler = null;
    this._executableHandler = false;
    this._executableFile = null; // custom name for executable
    this._executableDir = null; // custom search directory for subcommands
    this._defaultCommandName = null;
    this._exitCallback = null;
    this._aliases = [];
    this._combineFlagAndOptionalValue = true;
    this._description = '';
    this._summary = '';
    this._argsDescription = undefined; // legacy
    this._enablePositionalOptions = false;
    this._passThroughOptions = false;
    this._lifeCycleHooks = {}; // a hash of arrays
    /** @type {(boolean | string)} */
    this._showHelpAfterError = false;
    this._showSuggestionAfterError = true;
    this._savedState = null; // used in save/restoreStateBeforeParse

    // see configureOutput() for docs
    this._outputConfiguration = {
      writeOut: (str) => process.stdout.write(str),
      writeErr: (str) => process.stderr.write(str),
      outputError: (str, write) => write(str),
      getOutHelpWidth: () =>
        process.stdout.isTTY ? process.stdout.columns : undefined,
      getErrHelpWidth: () =>
        process.stderr.isTTY ? process.stderr.columns : undefined,
      getOutHasColors: () =>
        useColor() ?? (process.stdout.isTTY && process.stdout.hasColors?.()),
      getErrHasColors: () =>
        useColor() ?? (process.stderr.isTTY && process.stderr.hasColors?.()),
      stripColor: (str) => stripColor(str),
    };

    this._hidden = false;
    /** @type {(Option | null | undefined)} */
    this._helpOption = undefined; // Lazy created on demand. May be null if help option is disabled.
    this._addImplicitHelpCommand = undefined; // undecided whether true or false yet, not inherited
    /** @type {Command} */
    this._helpCommand = undefined; // lazy initialised, inherited
    this._helpConfiguration = {};
    /** @type {string | undefined} */
    this._helpGroupHeading = undefined; // soft initialised when added to parent
    /** @type {string | undefined} */
    this._defaultCommandGroup = undefined;
    /** @type {string | undefined} */
    this._defaultOptionGroup = undefined;
  }

  /**
   * Copy settings that are useful to have in common across root command and subcommands.
   *
   * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
   *
   * @param {Command} sourceCommand
   * @return {Command} `this` command for chaining
   */
  copyInheritedSettings(sourceCommand) {
    this._outputConfiguration = sourceCommand._outputConfiguration;
    this._helpOption = sourceCommand._helpOption;
    this._helpCommand = sourceCommand._helpCommand;
    this._helpConfiguration = sourceCommand._helpConfiguration;
    this._exitCallback = sourceCommand._exitCallback;
    this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
    this._combineFlagAndOptionalValue =
      sourceCommand._combineFlagAndOptionalValue;
    this._allowExcessArguments = sourceCommand._allowExcessArguments;
    this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
    this._showHelpAfterError = sourceCommand._showHelpAfterError;
    this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;

    return this;
  }

  /**
   * @returns {Command[]}
   * @private
   */

  _getCommandAndAncestors() {
    const result = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let command = this; command; command = command.parent) {
      result.push(command);
    }
    return result;
  }

  /**
   * Define a command.
   *
   * There are two styles of command: pay attention to where to put the description.
   *
   * @example
   * // Command implemented using action handler (description is supplied separately to `.command`)
   * program
   *   .command('clone <source> [destination]')
   *   .description('clone a repository into a newly created directory')
   *   .action((source, destination) => {
   *     console.log('clone command called');
   *   });
   *
   * // Command implemented using separate executable file (description is second parameter to `.command`)
   * program
   *   .command('start <service>', 'start named service')
   *   .command('stop [service]', 'stop named service, or all if no name supplied');
   *
   * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
   * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
   * @param {object} [execOpts] - configuration options (for executable)
   * @return {Command} returns new command for action handler, or `this` for executable command
   */

  command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
    let desc = actionOptsOrExecDesc;
    let opts = execOpts;
    if (typeof desc === 'object' && desc !== null) {
      opts = desc;
      desc = null;
    }
    opts = opts || {};
    const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);

    const cmd = this.createCommand(name);
    if (desc) {
      cmd.description(desc);
      cmd._executableHandler = true;
    }
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    cmd._hidden = !!(opts.noHelp || opts.hidden); // noHelp is deprecated old name for hidden
    cmd._executableFile = opts.executableFile || null; // Custom name for executable file, set missing to null to match constructor
    if (args) cmd.arguments(args);
    this._registerCommand(cmd);
    cmd.parent = this;
    cmd.copyInheritedSettings(this);

    if (desc) return this;
    return cmd;
  }

  /**
   * Factory routine to create a new unattached command.
   *
   * See .command() for creating an attached subcommand, which uses this routine to
   * create the command. You can override createCommand to customise subcommands.
   *
   * @param {string} [name]
   * @return {Command} new command
   */

  createCommand(name) {
    return new Command(name);
  }

  /**
   * You can customise the help with a subclass of Help by overriding createHelp,
   * or by overriding Help properties using configureHelp().
   *
   * @return {Help}
   */

  createHelp() {
    return Object.assign(new Help(), this.configureHelp());
  }

  /**
   * You can customise the help by overriding Help properties using configureHelp(),
   * or with a subclass of Help by overriding createHelp().
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */

  configureHelp(configuration) {
    if (configuration === undefined) return this._helpConfiguration;

    this._helpConfiguration = configuration;
    return this;
  }

  /**
   * The default output goes to stdout and stderr. You can customise this for special
   * applications. You can also customise the display of errors by overriding outputError.
   *
   * The configuration properties are all functions:
   *
   *     // change how output being written, defaults to stdout and stderr
   *     writeOut(str)
   *     writeErr(str)
   *     // change how output being written for errors, defaults to writeErr
   *     outputError(str, write) // used for displaying errors and not used for displaying help
   *     // specify width for wrapping help
   *     getOutHelpWidth()
   *     getErrHelpWidth()
   *     // color support, currently only used with Help
   *     getOutHasColors()
   *     getErrHasColors()
   *     stripColor() // used to remove ANSI escape codes if output does not have colors
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */

  configureOutput(configuration) {
    if (configuration === undefined) return this._outputConfiguration;

    this._outputConfiguration = {
      ...this._outputConfiguration,
      ...configuration,
    };
    return this;
  }

  /**
   * Display the help or a custom message after an error occurs.
   *
   * @param {(boolean|string)} [displayHelp]
   * @return {Command} `this` command for chaining
   */
  showHelpAfterError(displayHelp = true) {
    if (typeof displayHelp !== 'string') displayHelp = !!displayHelp;
    this._showHelpAfterError = displayHelp;
    return this;
  }

  /**
   * Display suggestion of similar commands for unknown commands, or options for unknown options.
   *
   * @param {boolean} [displaySuggestion]
   * @return {Command} `this` command for chaining
   */
  showSuggestionAfterError(displaySuggestion = true) {
    this._showSuggestionAfterError = !!displaySuggestion;
    return this;
  }

  /**
   * Add a prepared subcommand.
   *
   * See .command() for creating an attached subcommand which inherits settings from its parent.
   *
   * @param {Command} cmd - new subcommand
   * @param {object} [opts] - configuration options
   * @return {Command} `this` command for chaining
   */

  addCommand(cmd, opts) {
    if (!cmd._name) {
      throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
    }

    opts = opts || {};
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    if (opts.noHelp || opts.hidden) cmd._hidden = true; // modifying passed command due to existing implementation

    this._registerCommand(cmd);
    cmd.parent = this;
    cmd._checkForBrokenPassThrough();

    return this;
  }

  /**
   * Factory routine to create a new unattached argument.
   *
   * See .argument() for creating an attached argument, which uses this routine to
   * create the argument. You can override createArgument to return a custom argument.
   *
   * @param {string} name
   * @param {string} [description]
   * @return {Argument} new argument
   */

  createArgument(name, description) {
    return new Argument(name, description);
  }

  /**
   * Define argument syntax for command.
   *
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @example
   * program.argument('<input-file>');
   * program.argument('[output-file]');
   *
   * @param {string} name
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom argument processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */
  argument(name, description, parseArg, defaultValue) {
    const argument = this.createArgument(name, description);
    if (typeof parseArg === 'function') {
      argument.default(defaultValue).argParser(parseArg);
    } else {
      argument.default(parseArg);
    }
    this.addArgument(argument);
    return this;
  }

  /**
   * Define argument syntax for command, adding multiple at once (without descriptions).
   *
   * See also .argument().
   *
   * @example
   * program.arguments('<cmd> [env]');
   *
   * @param {string} names
   * @return {Command} `this` command for chaining
   */

  arguments(names) {
    names
      .trim()
      .split(/ +/)
      .forEach((detail) => {
        this.argument(detail);
      });
    return this;
  }

  /**
   * Define argument syntax for command, adding a prepared argument.
   *
   * @param {Argument} argument
   * @return {Command} `this` command for chaining
   */
  addArgument(argument) {
    const previousArgument = this.registeredArguments.slice(-1)[0];
    if (previousArgument?.variadic) {
      throw new Error(
        `only the last argument can be variadic '${previousArgument.name()}'`,
      );
    }
    if (
      argument.required &&
      argument.defaultValue !== undefined &&
      argument.parseArg === undefined
    ) {
      throw new Error(
        `a default value for a required argument is never used: '${argument.name()}'`,
      );
    }
    this.registeredArguments.push(argument);
    return this;
  }

  /**
   * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
   *
   * @example
   *    program.helpCommand('help [cmd]');
   *    program.helpCommand('help [cmd]', 'show help');
   *    program.helpCommand(false); // suppress default help command
   *    program.helpCommand(true); // add help command even if no subcommands
   *
   * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
   * @param {string} [description] - custom description
   * @return {Command} `this` command for chaining
   */

  helpCommand(enableOrNameAndArgs, description) {
    if (typeof enableOrNameAndArgs === 'boolean') {
      this._addImplicitHelpCommand = enableOrNameAndArgs;
      if (enableOrNameAndArgs && this._defaultCommandGroup) {
        // make the command to store the group
        this._initCommandGroup(this._getHelpCommand());
      }
      return this;
    }

    const nameAndArgs = enableOrNameAndArgs ?? 'help [command]';
    const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
    const helpDescription = description ?? 'display help for command';

    const helpCommand = this.createCommand(helpName);
    helpCommand.helpOption(false);
    if (helpArgs) helpCommand.arguments(helpArgs);
    if (helpDescription) helpCommand.description(helpDescription);

    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    // init group unless lazy create
    if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);

    return this;
  }

  /**
   * Add prepared custom help command.
   *
   * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
   * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
   * @return {Command} `this` command for chaining
   */
  addHelpCommand(helpCommand, deprecatedDescription) {
    // If not passed an object, call through to helpCommand for backwards compatibility,
    // as addHelpCommand was originally used like helpCommand is now.
    if (typeof helpCommand !== 'object') {
      this.helpCommand(helpCommand, deprecatedDescription);
      return this;
    }

    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    this._initCommandGroup(helpCommand);
    return this;
  }

  /**
   * Lazy create help command.
   *
   * @return {(Command|null)}
   * @package
   */
  _getHelpCommand() {
    const hasImplicitHelpCommand =
      this._addImplicitHelpCommand ??
      (this.commands.length &&
        !this._actionHandler &&
        !this._findCommand('help'));

    if (hasImplicitHelpCommand) {
      if (this._helpCommand === undefined) {
        this.helpCommand(undefined, undefined); // use default name and description
      }
      return this._helpCommand;
    }
    return null;
  }

  /**
   * Add hook for life cycle event.
   *
   * @param {string} event
   * @param {Function} listener
   * @return {Command} `this` command for chaining
   */

  hook(event, listener) {
    const allowedValues = ['preSubcommand', 'preAction', 'postAction'];
    if (!allowedValues.includes(event)) {
      throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
    }
    if (this._lifeCycleHooks[event]) {
      this._lifeCycleHooks[event].push(listener);
    } else {
      this._lifeCycleHooks[event] = [listener];
    }
    return this;
  }

  /**
   * Register callback to use as replacement for calling process.exit.
   *
   * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
   * @return {Command} `this` command for chaining
   */

  exitOverride(fn) {
    if (fn) {
      this._exitCallback = fn;
    } else {
      this._exitCallback = (err) => {
        if (err.code !== 'commander.executeSubCommandAsync') {
          throw err;
        } else {
          // Async callback from spawn events, not useful to throw.
        }
      };
    }
    return this;
  }

  /**
   * Call process.exit, and _exitCallback if defined.
   *
   * @param {number} exitCode exit code for using with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   * @return never
   * @private
   */

  _exit(exitCode, code, message) {
    if (this._exitCallback) {
      this._exitCallback(new CommanderError(exitCode, code, message));
      // Expecting this line is not reached.
    }
    process.exit(exitCode);
  }

  /**
   * Register callback `fn` for the command.
   *
   * @example
   * program
   *   .command('serve')
   *   .description('start service')
   *   .action(function() {
   *      // do work here
   *   });
   *
   * @param {Function} fn
   * @return {Command} `this` command for chaining
   */

  action(fn) {
    const listener = (args) => {
      // The .action callback takes an extra parameter which is the command or options.
      const expectedArgsCount = this.registeredArguments.length;
      const actionArgs = args.slice(0, expectedArgsCount);
      if (this._storeOptionsAsProperties) {
        actionArgs[expectedArgsCount] = this; // backwards compatible "options"
      } else {
        actionArgs[expectedArgsCount] = this.opts();
      }
      actionArgs.push(this);

      return fn.apply(this, actionArgs);
    };
    this._actionHandler = listener;
    return this;
  }

  /**
   * Factory routine to create a new unattached option.
   *
   * See .option() for creating an attached option, which uses this routine to
   * create the option. You can override createOption to return a custom option.
   *
   * @param {string} flags
   * @param {string} [description]
   * @return {Option} new option
   */

  createOption(flags, description) {
    return new Option(flags, description);
  }

  /**
   * Wrap parseArgs to catch 'commander.invalidArgument'.
   *
   * @param {(Option | Argument)} target
   * @param {string} value
   * @param {*} previous
   * @param {string} invalidArgumentMessage
   * @private
   */

  _callParseArg(target, value, previous, invalidArgumentMessage) {
    try {
      return target.parseArg(value, previous);
    } catch (err) {
      if (err.code === 'commander.invalidArgument') {
        const message = `${invalidArgumentMessage} ${err.message}`;
        this.error(message, { exitCode: err.exitCode, code: err.code });
      }
      throw err;
    }
  }

  /**
   * Check for option flag conflicts.
   * Register option if no conflicts found, or throw on conflict.
   *
   * @param {Option} option
   * @private
   */

  _registerOption(option) {
    const matchingOption =
      (option.short && this._findOption(option.short)) ||
      (option.long && this._findOption(option.long));
    if (matchingOption) {
      const matchingFlag =
        option.long && this._findOption(option.long)
          ? option.long
          : option.short;
      throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
    }

    this._initOptionGroup(option);
    this.options.push(option);
  }

  /**
   * Check for command name and alias conflicts with existing commands.
   * Register command if no conflicts found, or throw on conflict.
   *
   * @param {Command} command
   * @private
   */

  _registerCommand(command) {
    const knownBy = (cmd) => {
      return [cmd.name()].concat(cmd.aliases());
    };

    const alreadyUsed = knownBy(command).find((name) =>
      this._findCommand(name),
    );
    if (alreadyUsed) {
      const existingCmd = knownBy(this._findCommand(alreadyUsed)).join('|');
      const newCmd = knownBy(command).join('|');
      throw new Error(
        `cannot add command '${newCmd}' as already have command '${existingCmd}'`,
      );
    }

    this._initCommandGroup(command);
    this.commands.push(command);
  }

  /**
   * Add an option.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addOption(option) {
    this._registerOption(option);

    const oname = option.name();
    const name = option.attributeName();

    // store default value
    if (option.negate) {
      // --no-foo is special and defaults foo to true, unless a --foo option is already defined
      const positiveLongFlag = option.long.replace(/^--no-/, '--');
      if (!this._findOption(positiveLongFlag)) {
        this.setOptionValueWithSource(
          name,
          option.defaultValue === undefined ? true : option.defaultValue,
          'default',
        );
      }
    } else if (option.defaultValue !== undefined) {
      this.setOptionValueWithSource(name, option.defaultValue, 'default');
    }

    // handler for cli and env supplied values
    const handleOptionValue = (val, invalidValueMessage, valueSource) => {
      // val is null for optional option used without an optional-argument.
      // val is undefined for boolean and negated option.
      if (val == null && option.presetArg !== undefined) {
        val = option.presetArg;
      }

      // custom processing
      const oldValue = this.getOptionValue(name);
      if (val !== null && option.parseArg) {
        val = this._callParseArg(option, val, oldValue, invalidValueMessage);
      } else if (val !== null && option.variadic) {
        val = option._collectValue(val, oldValue);
      }

      // Fill-in appropriate missing values. Long winded but easy to follow.
      if (val == null) {
        if (option.negate) {
          val = false;
        } else if (option.isBoolean() || option.optional) {
          val = true;
        } else {
          val = ''; // not normal, parseArg might have failed or be a mock function for testing
        }
      }
      this.setOptionValueWithSource(name, val, valueSource);
    };

    this.on('option:' + oname, (val) => {
      const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
      handleOptionValue(val, invalidValueMessage, 'cli');
    });

    if (option.envVar) {
      this.on('optionEnv:' + oname, (val) => {
        const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
        handleOptionValue(val, invalidValueMessage, 'env');
      });
    }

    return this;
  }

  /**
   * Internal implementation shared by .option() and .requiredOption()
   *
   * @return {Command} `this` command for chaining
   * @private
   */
  _optionEx(config, flags, description, fn, defaultValue) {
    if (typeof flags === 'object' && flags instanceof Option) {
      throw new Error(
        'To add an Option object use addOption() instead of option() or requiredOption()',
      );
    }
    const option = this.createOption(flags, description);
    option.makeOptionMandatory(!!config.mandatory);
    if (typeof fn === 'function') {
      option.default(defaultValue).argParser(fn);
    } else if (fn instanceof RegExp) {
      // deprecated
      const regex = fn;
      fn = (val, def) => {
        const m = regex.exec(val);
        return m ? m[0] : def;
      };
      option.default(defaultValue).argParser(fn);
    } else {
      option.default(fn);
    }

    return this.addOption(option);
  }

  /**
   * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
   * option-argument is indicated by `<>` and an optional option-argument by `[]`.
   *
   * See the README for more details, and see also addOption() and requiredOption().
   *
   * @example
   * program
   *     .option('-p, --pepper', 'add pepper')
   *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
   *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
   *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */

  option(flags, description, parseArg, defaultValue) {
    return this._optionEx({}, flags, description, parseArg, defaultValue);
  }

  /**
   * Add a required option which must have a value after parsing. This usually means
   * the option must be specified on the command line. (Otherwise the same as .option().)
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */

  requiredOption(flags, description, parseArg, defaultValue) {
    return this._optionEx(
      { mandatory: true },
      flags,
      description,
      parseArg,
      defaultValue,
    );
  }

  /**
   * Alter parsing of short flags with optional values.
   *
   * @example
   * // for `.option('-f,--flag [value]'):
   * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
   * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
   *
   * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
   * @return {Command} `this` command for chaining
   */
  combineFlagAndOptionalValue(combine = true) {
    this._combineFlagAndOptionalValue = !!combine;
    return this;
  }

  /**
   * Allow unknown options on the command line.
   *
   * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
   * @return {Command} `this` command for chaining
   */
  allowUnknownOption(allowUnknown = true) {
    this._allowUnknownOption = !!allowUnknown;
    return this;
  }

  /**
   * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
   *
   * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
   * @return {Command} `this` command for chaining
   */
  allowExcessArguments(allowExcess = true) {
    this._allowExcessArguments = !!allowExcess;
    return this;
  }

  /**
   * Enable positional options. Positional means global options are specified before subcommands which lets
   * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
   * The default behaviour is non-positional and global options may appear anywhere on the command line.
   *
   * @param {boolean} [positional]
   * @return {Command} `this` command for chaining
   */
  enablePositionalOptions(positional = true) {
    this._enablePositionalOptions = !!positional;
    return this;
  }

  /**
   * Pass through options that come after command-arguments rather than treat them as command-options,
   * so actual command-options come before command-arguments. Turning this on for a subcommand requires
   * positional options to have been enabled on the program (parent commands).
   * The default behaviour is non-positional and options may appear before or after command-arguments.
   *
   * @param {boolean} [passThrough] for unknown options.
   * @return {Command} `this` command for chaining
   */
  passThroughOptions(passThrough = true) {
    this._passThroughOptions = !!passThrough;
    this._checkForBrokenPassThrough();
    return this;
  }

  /**
   * @private
   */

  _checkForBrokenPassThrough() {
    if (
      this.parent &&
      this._passThroughOptions &&
      !this.parent._enablePositionalOptions
    ) {
      throw new Error(
        `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`,
      );
    }
  }

  /**
   * Whether to store option values as properties on command object,
   * or store separately (specify false). In both cases the option values can be accessed using .opts().
   *
   * @param {boolean} [storeAsProperties=true]
   * @return {Command} `this` command for chaining
   */

  storeOptionsAsProperties(storeAsProperties = true) {
    if (this.options.length) {
      throw new Error('call .storeOptionsAsProperties() before adding options');
    }
    if (Object.keys(this._optionValues).length) {
      throw new Error(
        'call .storeOptionsAsProperties() before setting option values',
      );
    }
    this._storeOptionsAsProperties = !!storeAsProperties;
    return this;
  }

  /**
   * Retrieve option value.
   *
   * @param {string} key
   * @return {object} value
   */

  getOptionValue(key) {
    if (this._storeOptionsAsProperties) {
      return this[key];
    }
    return this._optionValues[key];
  }

  /**
   * Store option value.
   *
   * @param {string} key
   * @param {object} value
   * @return {Command} `this` command for chaining
   */

  setOptionValue(key, value) {
    return this.setOptionValueWithSource(key, value, undefined);
  }

  /**
   * Store option value and where the value came from.
   *
   * @param {string} key
   * @param {object} value
   * @param {string} source - expected values are default/config/env/cli/implied
   * @return {Command} `this` command for chaining
   */

  setOptionValueWithSource(key, value, source) {
    if (this._storeOptionsAsProperties) {
      this[key] = value;
    } else {
      this._optionValues[key] = value;
    }
    this._optionValueSources[key] = source;
    return this;
  }

  /**
   * Get source of option value.
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */

  getOptionValueSource(key) {
    return this._optionValueSources[key];
  }

  /**
   * Get source of option value. See also .optsWithGlobals().
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */

  getOptionValueSourceWithGlobals(key) {
    // global overwrites local, like optsWithGlobals
    let source;
    this._getCommandAndAncestors().forEach((cmd) => {
      if (cmd.getOptionValueSource(key) !== undefined) {
        source = cmd.getOptionValueSource(key);
      }
    });
    return source;
  }

  /**
   * Get user arguments from implied or explicit arguments.
   * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
   *
   * @private
   */

  _prepareUserArgs(argv, parseOptions) {
    if (argv !== undefined && !Array.isArray(argv)) {
      throw new Error('first parameter to parse must be array or undefined');
    }
    parseOptions = parseOptions || {};

    // auto-detect argument conventions if nothing supplied
    if (argv === undefined && parseOptions.from === undefined) {
      if (process.versions?.electron) {
        parseOptions.from = 'electron';
      }
      // check node specific options for scenarios where user CLI args follow executable without scriptname
      const execArgv = process.execArgv ?? [];
      if (
        execArgv.includes('-e') ||
        execArgv.includes('--eval') ||
        execArgv.includes('-p') ||
        execArgv.includes('--print')
      ) {
        parseOptions.from = 'eval'; // internal usage, not documented
      }
    }

    // default to using process.argv
    if (argv === undefined) {
      argv = process.argv;
    }
    this.rawArgs = argv.slice();

    // extract the user args and scriptPath
    let userArgs;
    switch (parseOptions.from) {
      case undefined:
      case 'node':
        this._scriptPath = argv[1];
        userArgs = argv.slice(2);
        break;
      case 'electron':
        // @ts-ignore: because defaultApp is an unknown property
        if (process.defaultApp) {
          this._scriptPath = argv[1];
          userArgs = argv.slice(2);
        } else {
          userArgs = argv.slice(1);
        }
        break;
      case 'user':
        userArgs = argv.slice(0);
        break;
      case 'eval':
        userArgs = argv.slice(1);
        break;
      default:
        throw new Error(
          `unexpected parse option { from: '${parseOptions.from}' }`,
        );
    }

    // Find default name for program from arguments.
    if (!this._name && this._scriptPath)
      this.nameFromFilename(this._scriptPath);
    this._name = this._name || 'program';

    return userArgs;
  }

  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Use parseAsync instead of parse if any of your action handlers are async.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * program.parse(); // parse process.argv and auto-detect electron and special node flags
   * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
   * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv] - optional, defaults to process.argv
   * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
   * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
   * @return {Command} `this` command for chaining
   */

  parse(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    this._parseCommand([], userArgs);

    return this;
  }

  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
   * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
   * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv]
   * @param {object} [parseOptions]
   * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
   * @return {Promise}
   */

  async parseAsync(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    await this._parseCommand([], userArgs);

    return this;
  }

  _prepareForParse() {
    if (this._savedState === null) {
      this.saveStateBeforeParse();
    } else {
      this.restoreStateBeforeParse();
    }
  }

  /**
   * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state saved.
   */
  saveStateBeforeParse() {
    this._savedState = {
      // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
      _name: this._name,
      // option values before parse have default values (including false for negated options)
      // shallow clones
      _optionValues: { ...this._optionValues },
      _optionValueSources: { ...this._optionValueSources },
    };
  }

  /**
   * Restore state before parse for calls after the first.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state restored.
   */
  restoreStateBeforeParse() {
    if (this._storeOptionsAsProperties)
      throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);

    // clear state from _prepareUserArgs
    this._name = this._savedState._name;
    this._scriptPath = null;
    this.rawArgs = [];
    // clear state from setOptionValueWithSource
    this._optionValues = { ...this._savedState._optionValues };
    this._optionValueSources = { ...this._savedState._optionValueSources };
    // clear state from _parseCommand
    this.args = [];
    // clear state from _processArguments
    this.processedArgs = [];
  }

  /**
   * Throw if expected executable is missing. Add lots of help for author.
   *
   * @param {string} executableFile
   * @param {string} executableDir
   * @param {string} subcommandName
   */
  _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
    if (fs.existsSync(executableFile)) return;

    const executableDirMessage = executableDir
      ? `searched for local subcommand relative to directory '${executableDir}'`
      : 'no directory for search for local subcommand, use .executableDir() to supply a custom directory';
    const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
    throw new Error(executableMissing);
  }

  /**
   * Execute a sub-command executable.
   *
   * @private
   */

  _executeSubCommand(subcommand, args) {
    args = args.slice();
    let launchWithNode = false; // Use node for source targets so do not need to get permissions correct, and on Windows.
    const sourceExt = ['.js', '.ts', '.tsx', '.mjs', '.cjs'];

    function findFile(baseDir, baseName) {
      // Look for specified file
      const localBin = path.resolve(baseDir, baseName);
      if (fs.existsSync(localBin)) return localBin;

      // Stop looking if candidate already has an expected extension.
      if (sourceExt.includes(path.extname(baseName))) return undefined;

      // Try all the extensions.
      const foundExt = sourceExt.find((ext) =>
        fs.existsSync(`${localBin}${ext}`),
      );
      if (foundExt) return `${localBin}${foundExt}`;

      return undefined;
    }

    // Not checking for help first. Unlikely to have mandatory and executable, and can't robustly test for help flags in external command.
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();

    // executableFile and executableDir might be full path, or just a name
    let executableFile =
      subcommand._executableFile || `${this._name}-${subcommand._name}`;
    let executableDir = this._executableDir || '';
    if (this._scriptPath) {
      let resolvedScriptPath; // resolve possible symlink for installed npm binary
      try {
        resolvedScriptPath = fs.realpathSync(this._scriptPath);
      } catch {
        resolvedScriptPath = this._scriptPath;
      }
      executableDir = path.resolve(
        path.dirname(resolvedScriptPath),
        executableDir,
      );
    }

    // Look for a local file in preference to a command in PATH.
    if (executableDir) {
      let localFile = findFile(executableDir, executableFile);

      // Legacy search using prefix of script name instead of command name
      if (!localFile && !subcommand._executableFile && this._scriptPath) {
        const legacyName = path.basename(
          this._scriptPath,
          path.extname(this._scriptPath),
        );
        if (legacyName !== this._name) {
          localFile = findFile(
            executableDir,
            `${legacyName}-${subcommand._name}`,
          );
        }
      }
      executableFile = localFile || executableFile;
    }

    launchWithNode = sourceExt.includes(path.extname(executableFile));

    let proc;
    if (process.platform !== 'win32') {
      if (launchWithNode) {
        args.unshift(executableFile);
        // add executable arguments to spawn
        args = incrementNodeInspectorPort(process.execArgv).concat(args);

        proc = childProcess.spawn(process.argv[0], args, { stdio: 'inherit' });
      } else {
        proc = childProcess.spawn(executableFile, args, { stdio: 'inherit' });
      }
    } else {
      this._checkForMissingExecutable(
        executableFile,
        executableDir,
        subcommand._name,
      );
      args.unshift(executableFile);
      // add executable arguments to spawn
      args = incrementNodeInspectorPort(process.execArgv).concat(args);
      proc = childProcess.spawn(process.execPath, args, { stdio: 'inherit' });
    }

    if (!proc.killed) {
      // testing mainly to avoid leak warnings during unit tests with mocked spawn
      const signals = ['SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGINT', 'SIGHUP'];
      signals.forEach((signal) => {
        process.on(signal, () => {
          if (proc.killed === false && proc.exitCode === null) {
            // @ts-ignore because signals not typed to known strings
            proc.kill(signal);
          }
        });
      });
    }

    // By default terminate process when spawned process terminates.
    const exitCallback = this._exitCallback;
    proc.on('close', (code) => {
      code = code ?? 1; // code is null if spawned process terminated due to a signal
      if (!exitCallback) {
        process.exit(code);
      } else {
        exitCallback(
          new CommanderError(
            code,
            'commander.executeSubCommandAsync',
            '(close)',
          ),
        );
      }
    });
    proc.on('error', (err) => {
      // @ts-ignore: because err.code is an unknown property
      if (err.code === 'ENOENT') {
        this._checkForMissingExecutable(
          executableFile,
          executableDir,
          subcommand._name,
        );
        // @ts-ignore: because err.code is an unknown property
      } else if (err.code === 'EACCES') {
        throw new Error(`'${executableFile}' not executable`);
      }
      if (!exitCallback) {
        process.exit(1);
      } else {
        const wrappedError = new CommanderError(
          1,
          'commander.executeSubCommandAsync',
          '(error)',
        );
        wrappedError.nestedError = err;
        exitCallback(wrappedError);
      }
    });

    // Store the reference to the child process
    this.runningCommand = proc;
  }

  /**
   * @private
   */

  _dispatchSubcommand(commandName, operands, unknown) {
    const subCommand = this._findCommand(commandName);
    if (!subCommand) this.help({ error: true });

    subCommand._prepareForParse();
    let promiseChain;
    promiseChain = this._chainOrCallSubCommandHook(
      promiseChain,
      subCommand,
      'preSubcommand',
    );
    promiseChain = this._chainOrCall(promiseChain, () => {
      if (subCommand._executableHandler) {
        this._executeSubCommand(subCommand, operands.concat(unknown));
      } else {
        return subCommand._parseCommand(operands, unknown);
      }
    });
    return promiseChain;
  }

  /**
   * Invoke help directly if possible, or dispatch if necessary.
   * e.g. help foo
   *
   * @private
   */

  _dispatchHelpCommand(subcommandName) {
    if (!subcommandName) {
      this.help();
    }
    const subCommand = this._findCommand(subcommandName);
    if (subCommand && !subCommand._executableHandler) {
      subCommand.help();
    }

    // Fallback to parsing the help flag to invoke the help.
    return this._dispatchSubcommand(
      subcommandName,
      [],
      [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? '--help'],
    );
  }

  /**
   * Check this.args against expected this.registeredArguments.
   *
   * @private
   */

  _checkNumberOfArguments() {
    // too few
    this.registeredArguments.forEach((arg, i) => {
      if (arg.required && this.args[i] == null) {
        this.missingArgument(arg.name());
      }
    });
    // too many
    if (
      this.registeredArguments.length > 0 &&
      this.registeredArguments[this.registeredArguments.length - 1].variadic
    ) {
      return;
    }
    if (this.args.length > this.registeredArguments.length) {
      this._excessArguments(this.args);
    }
  }

  /**
   * Process this.args using this.registeredArguments and save as this.processedArgs!
   *
   * @private
   */

  _processArguments() {
    const myParseArg = (argument, value, previous) => {
      // Extra processing for nice error message on parsing failure.
      let parsedValue = value;
      if (value !== null && argument.parseArg) {
        const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
        parsedValue = this._callParseArg(
          argument,
          value,
          previous,
          invalidValueMessage,
        );
      }
      return parsedValue;
    };

    this._checkNumberOfArguments();

    const processedArgs = [];
    this.registeredArguments.forEach((declaredArg, index) => {
      let value = declaredArg.defaultValue;
      if (declaredArg.variadic) {
        // Collect together remaining arguments for passing together as an array.
        if (index < this.args.length) {
          value = this.args.slice(index);
          if (declaredArg.parseArg) {
            value = value.reduce((processed, v) => {
              return myParseArg(declaredArg, v, processed);
            }, declaredArg.defaultValue);
          }
        } else if (value === undefined) {
          value = [];
        }
      } else if (index < this.args.length) {
        value = this.args[index];
        if (declaredArg.parseArg) {
          value = myParseArg(declaredArg, value, declaredArg.defaultValue);
        }
      }
      processedArgs[index] = value;
    });
    this.processedArgs = processedArgs;
  }

  /**
   * Once we have a promise we chain, but call synchronously until then.
   *
   * @param {(Promise|undefined)} promise
   * @param {Function} fn
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCall(promise, fn) {
    // thenable
    if (promise?.then && typeof promise.then === 'function') {
      // already have a promise, chain callback
      return promise.then(() => fn());
    }
    // callback might return a promise
    return fn();
  }

  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCallHooks(promise, event) {
    let result = promise;
    const hooks = [];
    this._getCommandAndAncestors()
      .reverse()
      .filter((cmd) => cmd._lifeCycleHooks[event] !== undefined)
      .forEach((hookedCommand) => {
        hookedCommand._lifeCycleHooks[event].forEach((callback) => {
          hooks.push({ hookedCommand, callback });
        });
      });
    if (event === 'postAction') {
      hooks.reverse();
    }

    hooks.forEach((hookDetail) => {
      result = this._chainOrCall(result, () => {
        return hookDetail.callback(hookDetail.hookedCommand, this);
      });
    });
    return result;
  }

  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {Command} subCommand
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCallSubCommandHook(promise, subCommand, event) {
    let result = promise;
    if (this._lifeCycleHooks[event] !== undefined) {
      this._lifeCycleHooks[event].forEach((hook) => {
        result = this._chainOrCall(result, () => {
          return hook(this, subCommand);
        });
      });
    }
    return result;
  }

  /**
   * Process arguments in context of this command.
   * Returns action result, in case it is a promise.
   *
   * @private
   */

  _parseCommand(operands, unknown) {
    const parsed = this.parseOptions(unknown);
    this._parseOptionsEnv(); // after cli, so parseArg not called on both cli and env
    this._parseOptionsImplied();
    operands = operands.concat(parsed.operands);
    unknown = parsed.unknown;
    this.args = operands.concat(unknown);

    if (operands && this._findCommand(operands[0])) {
      return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
    }
    if (
      this._getHelpCommand() &&
      operands[0] === this._getHelpCommand().name()
    ) {
      return this._dispatchHelpCommand(operands[1]);
    }
    if (this._defaultCommandName) {
      this._outputHelpIfRequested(unknown); // Run the help for default command from parent rather than passing to default command
      return this._dispatchSubcommand(
        this._defaultCommandName,
        operands,
        unknown,
      );
    }
    if (
      this.commands.length &&
      this.args.length === 0 &&
      !this._actionHandler &&
      !this._defaultCommandName
    ) {
      // probably missing subcommand and no handler, user needs help (and exit)
      this.help({ error: true });
    }

    this._outputHelpIfRequested(parsed.unknown);
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();

    // We do not always call this check to avoid masking a "better" error, like unknown command.
    const checkForUnknownOptions = () => {
      if (parsed.unknown.length > 0) {
        this.unknownOption(parsed.unknown[0]);
      }
    };

    const commandEvent = `command:${this.name()}`;
    if (this._actionHandler) {
      checkForUnknownOptions();
      this._processArguments();

      let promiseChain;
      promiseChain = this._chainOrCallHooks(promiseChain, 'preAction');
      promiseChain = this._chainOrCall(promiseChain, () =>
        this._actionHandler(this.processedArgs),
      );
      if (this.parent) {
        promiseChain = this._chainOrCall(promiseChain, () => {
          this.parent.emit(commandEvent, operands, unknown); // legacy
        });
      }
      promiseChain = this._chainOrCallHooks(promiseChain, 'postAction');
      return promiseChain;
    }
    if (this.parent?.listenerCount(commandEvent)) {
      checkForUnknownOptions();
      this._processArguments();
      this.parent.emit(commandEvent, operands, unknown); // legacy
    } else if (operands.length) {
      if (this._findCommand('*')) {
        // legacy default command
        return this._dispatchSubcommand('*', operands, unknown);
      }
      if (this.listenerCount('command:*')) {
        // skip option check, emit event for possible misspelling suggestion
        this.emit('command:*', operands, unknown);
      } else if (this.commands.length) {
        this.unknownCommand();
      } else {
        checkForUnknownOptions();
        this._processArguments();
      }
    } else if (this.commands.length) {
      checkForUnknownOptions();
      // This command has subcommands and nothing hooked up at this level, so display help (and exit).
      this.help({ error: true });
    } else {
      checkForUnknownOptions();
      this._processArguments();
      // fall through for caller to handle after calling .parse()
    }
  }

  /**
   * Find matching command.
   *
   * @private
   * @return {Command | undefined}
   */
  _findCommand(name) {
    if (!name) return undefined;
    return this.commands.find(
      (cmd) => cmd._name === name || cmd._aliases.includes(name),
    );
  }

  /**
   * Return an option matching `arg` if any.
   *
   * @param {string} arg
   * @return {Option}
   * @package
   */

  _findOption(arg) {
    return this.options.find((option) => option.is(arg));
  }

  /**
   * Display an error message if a mandatory option does not have a value.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */

  _checkForMissingMandatoryOptions() {
    // Walk up hierarchy so can call in subcommand after checking for displaying help.
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd.options.forEach((anOption) => {
        if (
          anOption.mandatory &&
          cmd.getOptionValue(anOption.attributeName()) === undefined
        ) {
          cmd.missingMandatoryOptionValue(anOption);
        }
      });
    });
  }

  /**
   * Display an error message if conflicting options are used together in this.
   *
   * @private
   */
  _checkForConflictingLocalOptions() {
    const definedNonDefaultOptions = this.options.filter((option) => {
      const optionKey = option.attributeName();
      if (this.getOptionValue(optionKey) === undefined) {
        return false;
      }
      return this.getOptionValueSource(optionKey) !== 'default';
    });

    const optionsWithConflicting = definedNonDefaultOptions.filter(
      (option) => option.conflictsWith.length > 0,
    );

    optionsWithConflicting.forEach((option) => {
      const conflictingAndDefined = definedNonDefaultOptions.find((defined) =>
        option.conflictsWith.includes(defined.attributeName()),
      );
      if (conflictingAndDefined) {
        this._conflictingOption(option, conflictingAndDefined);
      }
    });
  }

  /**
   * Display an error message if conflicting options are used together.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */
  _checkForConflictingOptions() {
    // Walk up hierarchy so can call in subcommand after checking for displaying help.
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd._checkForConflictingLocalOptions();
    });
  }

  /**
   * Parse options from `argv` removing known options,
   * and return argv split into operands and unknown arguments.
   *
   * Side effects: modifies command by storing options. Does not reset state if called again.
   *
   * Examples:
   *
   *     argv => operands, unknown
   *     --known kkk op => [op], []
   *     op --known kkk => [op], []
   *     sub --unknown uuu op => [sub], [--unknown uuu op]
   *     sub -- --unknown uuu op => [sub --unknown uuu op], []
   *
   * @param {string[]} args
   * @return {{operands: string[], unknown: string[]}}
   */

  parseOptions(args) {
    const operands = []; // operands, not options or values
    const unknown = []; // first unknown option and remaining unknown args
    let dest = operands;

    function maybeOption(arg) {
      return arg.length > 1 && arg[0] === '-';
    }

    const negativeNumberArg = (arg) => {
      // return false if not a negative number
      if (!/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg)) return false;
      // negative number is ok unless digit used as an option in command hierarchy
      return !this._getCommandAndAncestors().some((cmd) =>
        cmd.options
          .map((opt) => opt.short)
          .some((short) => /^-\d$/.test(short)),
      );
    };

    // parse options
    let activeVariadicOption = null;
    let activeGroup = null; // working through group of short options, like -abc
    let i = 0;
    while (i < args.length || activeGroup) {
      const arg = activeGroup ?? args[i++];
      activeGroup = null;

      // literal
      if (arg === '--') {
        if (dest === unknown) dest.push(arg);
        dest.push(...args.slice(i));
        break;
      }

      if (
        activeVariadicOption &&
        (!maybeOption(arg) || negativeNumberArg(arg))
      ) {
        this.emit(`option:${activeVariadicOption.name()}`, arg);
        continue;
      }
      activeVariadicOption = null;

      if (maybeOption(arg)) {
        const option = this._findOption(arg);
        // recognised option, call listener to assign value with possible custom processing
        if (option) {
          if (option.required) {
            const value = args[i++];
            if (value === undefined) this.optionMissingArgument(option);
            this.emit(`option:${option.name()}`, value);
          } else if (option.optional) {
            let value = null;
            // historical behaviour is optional value is following arg unless an option
            if (
              i < args.length &&
              (!maybeOption(args[i]) || negativeNumberArg(args[i]))
            ) {
              value = args[i++];
            }
            this.emit(`option:${option.name()}`, value);
          } else {
            // boolean flag
            this.emit(`option:${option.name()}`);
          }
          activeVariadicOption = option.variadic ? option : null;
          continue;
        }
      }

      // Look for combo options following single dash, eat first one if known.
      if (arg.length > 2 && arg[0] === '-' && arg[1] !== '-') {
        const option = this._findOption(`-${arg[1]}`);
        if (option) {
          if (
            option.required ||
            (option.optional && this._combineFlagAndOptionalValue)
          ) {
            // option with value following in same argument
            this.emit(`option:${option.name()}`, arg.slice(2));
          } else {
            // boolean option
            this.emit(`option:${option.name()}`);
            // remove the processed option and keep processing group
            activeGroup = `-${arg.slice(2)}`;
          }
          continue;
        }
      }

      // Look for known long flag with value, like --foo=bar
      if (/^--[^=]+=/.test(arg)) {
        const index = arg.indexOf('=');
        const option = this._findOption(arg.slice(0, index));
        if (option && (option.required || option.optional)) {
          this.emit(`option:${option.name()}`, arg.slice(index + 1));
          continue;
        }
      }

      // Not a recognised option by this command.
      // Might be a command-argument, or subcommand option, or unknown option, or help command or option.

      // An unknown option means further arguments also classified as unknown so can be reprocessed by subcommands.
      // A negative number in a leaf command is not an unknown option.
      if (
        dest === operands &&
        maybeOption(arg) &&
        !(this.commands.length === 0 && negativeNumberArg(arg))
      ) {
        dest = unknown;
      }

      // If using positionalOptions, stop processing our options at subcommand.
      if (
        (this._enablePositionalOptions || this._passThroughOptions) &&
        operands.length === 0 &&
        unknown.length === 0
      ) {
        if (this._findCommand(arg)) {
          operands.push(arg);
          unknown.push(...args.slice(i));
          break;
        } else if (
          this._getHelpCommand() &&
          arg === this._getHelpCommand().name()
        ) {
          operands.push(arg, ...args.slice(i));
          break;
        } else if (this._defaultCommandName) {
          unknown.push(arg, ...args.slice(i));
          break;
        }
      }

      // If using passThroughOptions, stop processing options at first command-argument.
      if (this._passThroughOptions) {
        dest.push(arg, ...args.slice(i));
        break;
      }

      // add arg
      dest.push(arg);
    }

    return { operands, unknown };
  }

  /**
   * Return an object containing local option values as key-value pairs.
   *
   * @return {object}
   */
  opts() {
    if (this._storeOptionsAsProperties) {
      // Preserve original behaviour so backwards compatible when still using properties
      const result = {};
      const len = this.options.length;

      for (let i = 0; i < len; i++) {
        const key = this.options[i].attributeName();
        result[key] =
          key === this._versionOptionName ? this._version : this[key];
      }
      return result;
    }

    return this._optionValues;
  }

  /**
   * Return an object containing merged local and global option values as key-value pairs.
   *
   * @return {object}
   */
  optsWithGlobals() {
    // globals overwrite locals
    return this._getCommandAndAncestors().reduce(
      (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
      {},
    );
  }

  /**
   * Display error message and exit (or call exitOverride).
   *
   * @param {string} message
   * @param {object} [errorOptions]
   * @param {string} [errorOptions.code] - an id string representing the error
   * @param {number} [errorOptions.exitCode] - used with process.exit
   */
  error(message, errorOptions) {
    // output handling
    this._outputConfiguration.outputError(
      `${message}\n`,
      this._outputConfiguration.writeErr,
    );
    if (typeof this._showHelpAfterError === 'string') {
      this._outputConfiguration.writeErr(`${this._showHelpAfterError}\n`);
    } else if (this._showHelpAfterError) {
      this._outputConfiguration.writeErr('\n');
      this.outputHelp({ error: true });
    }

    // exit handling
    const config = errorOptions || {};
    const exitCode = config.exitCode || 1;
    const code = config.code || 'commander.error';
    this._exit(exitCode, code, message);
  }

  /**
   * Apply any option related environment variables, if option does
   * not have a value from cli or client code.
   *
   * @private
   */
  _parseOptionsEnv() {
    this.options.forEach((option) => {
      if (option.envVar && option.envVar in process.env) {
        const optionKey = option.attributeName();
        // Priority check. Do not overwrite cli or options from unknown source (client-code).
        if (
          this.getOptionValue(optionKey) === undefined ||
          ['default', 'config', 'env'].includes(
            this.getOptionValueSource(optionKey),
          )
        ) {
          if (option.required || option.optional) {
            // option can take a value
            // keep very simple, optional always takes value
            this.emit(`optionEnv:${option.name()}`, process.env[option.envVar]);
          } else {
            // boolean
            // keep very simple, only care that envVar defined and not the value
            this.emit(`optionEnv:${option.name()}`);
          }
        }
      }
    });
  }

  /**
   * Apply any implied option values, if option is undefined or default value.
   *
   * @private
   */
  _parseOptionsImplied() {
    const dualHelper = new DualOptions(this.options);
    const hasCustomOptionValue = (optionKey) => {
      return (
        this.getOptionValue(optionKey) !== undefined &&
        !['default', 'implied'].includes(this.getOptionValueSource(optionKey))
      );
    };
    this.options
      .filter(
        (option) =>
          option.implied !== undefined &&
          hasCustomOptionValue(option.attributeName()) &&
          dualHelper.valueFromOption(
            this.getOptionValue(option.attributeName()),
            option,
          ),
      )
      .forEach((option) => {
        Object.keys(option.implied)
          .filter((impliedKey) => !hasCustomOptionValue(impliedKey))
          .forEach((impliedKey) => {
            this.setOptionValueWithSource(
              impliedKey,
              option.implied[impliedKey],
              'implied',
            );
          });
      });
  }

  /**
   * Argument `name` is missing.
   *
   * @param {string} name
   * @private
   */

  missingArgument(name) {
    const message = `error: missing required argument '${name}'`;
    this.error(message, { code: 'commander.missingArgument' });
  }

  /**
   * `Option` is missing an argument.
   *
   * @param {Option} option
   * @private
   */

  optionMissingArgument(option) {
    const message = `error: option '${option.flags}' argument missing`;
    this.error(message, { code: 'commander.optionMissingArgument' });
  }

  /**
   * `Option` does not have a value, and is a mandatory option.
   *
   * @param {Option} option
   * @private
   */

  missingMandatoryOptionValue(option) {
    const message = `error: required option '${option.flags}' not specified`;
    this.error(message, { code: 'commander.missingMandatoryOptionValue' });
  }

  /**
   * `Option` conflicts with another option.
   *
   * @param {Option} option
   * @param {Option} conflictingOption
   * @private
   */
  _conflictingOption(option, conflictingOption) {
    // The calling code does not know whether a negated option is the source of the
    // value, so do some work to take an educated guess.
    const findBestOptionFromValue = (option) => {
      const optionKey = option.attributeName();
      const optionValue = this.getOptionValue(optionKey);
      const negativeOption = this.options.find(
        (target) => target.negate && optionKey === target.attributeName(),
      );
      const positiveOption = this.options.find(
        (target) => !target.negate && optionKey === target.attributeName(),
      );
      if (
        negativeOption &&
        ((negativeOption.presetArg === undefined && optionValue === false) ||
          (negativeOption.presetArg !== undefined &&
            optionValue === negativeOption.presetArg))
      ) {
        return negativeOption;
      }
      return positiveOption || option;
    };

    const getErrorMessage = (option) => {
      const bestOption = findBestOptionFromValue(option);
      const optionKey = bestOption.attributeName();
      const source = this.getOptionValueSource(optionKey);
      if (source === 'env') {
        return `environment variable '${bestOption.envVar}'`;
      }
      return `option '${bestOption.flags}'`;
    };

    const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
    this.error(message, { code: 'commander.conflictingOption' });
  }

  /**
   * Unknown option `flag`.
   *
   * @param {string} flag
   * @private
   */

  unknownOption(flag) {
    if (this._allowUnknownOption) return;
    let suggestion = '';

    if (flag.startsWith('--') && this._showSuggestionAfterError) {
      // Looping to pick up the global options too
      let candidateFlags = [];
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      let command = this;
      do {
        const moreFlags = command
          .createHelp()
          .visibleOptions(command)
          .filter((option) => option.long)
          .map((option) => option.long);
        candidateFlags = candidateFlags.concat(moreFlags);
        command = command.parent;
      } while (command && !command._enablePositionalOptions);
      suggestion = suggestSimilar(flag, candidateFlags);
    }

    const message = `error: unknown option '${flag}'${suggestion}`;
    this.error(message, { code: 'commander.unknownOption' });
  }

  /**
   * Excess arguments, more than expected.
   *
   * @param {string[]} receivedArgs
   * @private
   */

  _excessArguments(receivedArgs) {
    if (this._allowExcessArguments) return;

    const expected = this.registeredArguments.length;
    const s = expected === 1 ? '' : 's';
    const forSubcommand = this.parent ? ` for '${this.name()}'` : '';
    const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${receivedArgs.length}.`;
    this.error(message, { code: 'commander.excessArguments' });
  }

  /**
   * Unknown command.
   *
   * @private
   */

  unknownCommand() {
    const unknownName = this.args[0];
    let suggestion = '';

    if (this._showSuggestionAfterError) {
      const candidateNames = [];
      this.createHelp()
        .visibleCommands(this)
        .forEach((command) => {
          candidateNames.push(command.name());
          // just visible alias
          if (command.alias()) candidateNames.push(command.alias());
        });
      suggestion = suggestSimilar(unknownName, candidateNames);
    }

    const message = `error: unknown command '${unknownName}'${suggestion}`;
    this.error(message, { code: 'commander.unknownCommand' });
  }

  /**
   * Get or set the program version.
   *
   * This method auto-registers the "-V, --version" option which will print the version number.
   *
   * You can optionally supply the flags and description to override the defaults.
   *
   * @param {string} [str]
   * @param {string} [flags]
   * @param {string} [description]
   * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
   */

  version(str, flags, description) {
    if (str === undefined) return this._version;
    this._version = str;
    flags = flags || '-V, --version';
    description = description || 'output the version number';
    const versionOption = this.createOption(flags, description);
    this._versionOptionName = versionOption.attributeName();
    this._registerOption(versionOption);

    this.on('option:' + versionOption.name(), () => {
      this._outputConfiguration.writeOut(`${str}\n`);
      this._exit(0, 'commander.version', str);
    });
    return this;
  }

  /**
   * Set the description.
   *
   * @param {string} [str]
   * @param {object} [argsDescription]
   * @return {(string|Command)}
   */
  description(str, argsDescription) {
    if (str === undefined && argsDescription === undefined)
      return this._description;
    this._description = str;
    if (argsDescription) {
      this._argsDescription = argsDescription;
    }
    return this;
  }

  /**
   * Set the summary. Used when listed as subcommand of parent.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */
  summary(str) {
    if (str === undefined) return this._summary;
    this._summary = str;
    return this;
  }

  /**
   * Set an alias for the command.
   *
   * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
   *
   * @param {string} [alias]
   * @return {(string|Command)}
   */

  alias(alias) {
    if (alias === undefined) return this._aliases[0]; // just return first, for backwards compatibility

    /** @type {Command} */
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let command = this;
    if (
      this.commands.length !== 0 &&
      this.commands[this.commands.length - 1]._executableHandler
    ) {
      // assume adding alias for last added executable subcommand, rather than this
      command = this.commands[this.commands.length - 1];
    }

    if (alias === command._name)
      throw new Error("Command alias can't be the same as its name");
    const matchingCommand = this.parent?._findCommand(alias);
    if (matchingCommand) {
      // c.f. _registerCommand
      const existingCmd = [matchingCommand.name()]
        .concat(matchingCommand.aliases())
        .join('|');
      throw new Error(
        `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`,
      );
    }

    command._aliases.push(alias);
    return this;
  }

  /**
   * Set aliases for the command.
   *
   * Only the first alias is shown in the auto-generated help.
   *
   * @param {string[]} [aliases]
   * @return {(string[]|Command)}
   */

  aliases(aliases) {
    // Getter for the array of aliases is the main reason for having aliases() in addition to alias().
    if (aliases === undefined) return this._aliases;

    aliases.forEach((alias) => this.alias(alias));
    return this;
  }

  /**
   * Set / get the command usage `str`.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */

  usage(str) {
    if (str === undefined) {
      if (this._usage) return this._usage;

      const args = this.registeredArguments.map((arg) => {
        return humanReadableArgName(arg);
      });
      return []
        .concat(
          this.options.length || this._helpOption !== null ? '[options]' : [],
          this.commands.length ? '[command]' : [],
          this.registeredArguments.length ? args : [],
        )
        .join(' ');
    }

    this._usage = str;
    return this;
  }

  /**
   * Get or set the name of the command.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */

  name(str) {
    if (str === undefined) return this._name;
    this._name = str;
    return this;
  }

  /**
   * Set/get the help group heading for this subcommand in parent command's help.
   *
   * @param {string} [heading]
   * @return {Command | string}
   */

  helpGroup(heading) {
    if (heading === undefined) return this._helpGroupHeading ?? '';
    this._helpGroupHeading = heading;
    return this;
  }

  /**
   * Set/get the default help group heading for subcommands added to this command.
   * (This does not override a group set directly on the subcommand using .helpGroup().)
   *
   * @example
   * program.commandsGroup('Development Commands:);
   * program.command('watch')...
   * program.command('lint')...
   * ...
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  commandsGroup(heading) {
    if (heading === undefined) return this._defaultCommandGroup ?? '';
    this._defaultCommandGroup = heading;
    return this;
  }

  /**
   * Set/get the default help group heading for options added to this command.
   * (This does not override a group set directly on the option using .helpGroup().)
   *
   * @example
   * program
   *   .optionsGroup('Development Options:')
   *   .option('-d, --debug', 'output extra debugging')
   *   .option('-p, --profile', 'output profiling information')
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  optionsGroup(heading) {
    if (heading === undefined) return this._defaultOptionGroup ?? '';
    this._defaultOptionGroup = heading;
    return this;
  }

  /**
   * @param {Option} option
   * @private
   */
  _initOptionGroup(option) {
    if (this._defaultOptionGroup && !option.helpGroupHeading)
      option.helpGroup(this._defaultOptionGroup);
  }

  /**
   * @param {Command} cmd
   * @private
   */
  _initCommandGroup(cmd) {
    if (this._defaultCommandGroup && !cmd.helpGroup())
      cmd.helpGroup(this._defaultCommandGroup);
  }

  /**
   * Set the name of the command from script filename, such as process.argv[1],
   * or require.main.filename, or __filename.
   *
   * (Used internally and public although not documented in README.)
   *
   * @example
   * program.nameFromFilename(require.main.filename);
   *
   * @param {string} filename
   * @return {Command}
   */

  nameFromFilename(filename) {
    this._name = path.basename(filename, path.extname(filename));

    return this;
  }

  /**
   * Get or set the directory for searching for executable subcommands of this command.
   *
   * @example
   * program.executableDir(__dirname);
   * // or
   * program.executableDir('subcommands');
   *
   * @param {string} [path]
   * @return {(string|null|Command)}
   */

  executableDir(path) {
    if (path === undefined) return this._executableDir;
    this._executableDir = path;
    return this;
  }

  /**
   * Return program help documentation.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
   * @return {string}
   */

  helpInformation(contextOptions) {
    const helper = this.createHelp();
    const context = this._getOutputContext(contextOptions);
    helper.prepareContext({
      error: context.error,
      helpWidth: context.helpWidth,
      outputHasColors: context.hasColors,
    });
    const text = helper.formatHelp(this, helper);
    if (context.hasColors) return text;
    return this._outputConfiguration.stripColor(text);
  }

  /**
   * @typedef HelpContext
   * @type {object}
   * @property {boolean} error
   * @property {number} helpWidth
   * @property {boolean} hasColors
   * @property {function} write - includes stripColor if needed
   *
   * @returns {HelpContext}
   * @private
   */

  _getOutputContext(contextOptions) {
    contextOptions = contextOptions || {};
    const error = !!contextOptions.error;
    let baseWrite;
    let hasColors;
    let helpWidth;
    if (error) {
      baseWrite = (str) => this._outputConfiguration.writeErr(str);
      hasColors = this._outputConfiguration.getErrHasColors();
      helpWidth = this._outputConfiguration.getErrHelpWidth();
    } else {
      baseWrite = (str) => this._outputConfiguration.writeOut(str);
      hasColors = this._outputConfiguration.getOutHasColors();
      helpWidth = this._outputConfiguration.getOutHelpWidth();
    }
    const write = (str) => {
      if (!hasColors) str = this._outputConfiguration.stripColor(str);
      return baseWrite(str);
    };
    return { error, write, hasColors, helpWidth };
  }

  /**
   * Output help information for this command.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */

  outputHelp(contextOptions) {
    let deprecatedCallback;
    if (typeof contextOptions === 'function') {
      deprecatedCallback = contextOptions;
      contextOptions = undefined;
    }

    const outputContext = this._getOutputContext(contextOptions);
    /** @type {HelpTextEventContext} */
    const eventContext = {
      error: outputContext.error,
      write: outputContext.write,
      command: this,
    };

    this._getCommandAndAncestors()
      .reverse()
      .forEach((command) => command.emit('beforeAllHelp', eventContext));
    this.emit('beforeHelp', eventContext);

    let helpInformation = this.helpInformation({ error: outputContext.error });
    if (deprecatedCallback) {
      helpInformation = deprecatedCallback(helpInformation);
      if (
        typeof helpInformation !== 'string' &&
        !Buffer.isBuffer(helpInformation)
      ) {
        throw new Error('outputHelp callback must return a string or a Buffer');
      }
    }
    outputContext.write(helpInformation);

    if (this._getHelpOption()?.long) {
      this.emit(this._getHelpOption().long); // deprecated
    }
    this.emit('afterHelp', eventContext);
    this._getCommandAndAncestors().forEach((command) =>
      command.emit('afterAllHelp', eventContext),
    );
  }

  /**
   * You can pass in flags and a description to customise the built-in help option.
   * Pass in false to disable the built-in help option.
   *
   * @example
   * program.helpOption('-?, --help' 'show help'); // customise
   * program.helpOption(false); // disable
   *
   * @param {(string | boolean)} flags
   * @param {string} [description]
   * @return {Command} `this` command for chaining
   */

  helpOption(flags, description) {
    // Support enabling/disabling built-in help option.
    if (typeof flags === 'boolean') {
      if (flags) {
        if (this._helpOption === null) this._helpOption = undefined; // reenable
        if (this._defaultOptionGroup) {
          // make the option to store the group
          this._initOptionGroup(this._getHelpOption());
        }
      } else {
        this._helpOption = null; // disable
      }
      return this;
    }

    // Customise flags and description.
    this._helpOption = this.createOption(
      flags ?? '-h, --help',
      description ?? 'display help for command',
    );
    // init group unless lazy create
    if (flags || description) this._initOptionGroup(this._helpOption);

    return this;
  }

  /**
   * Lazy create help option.
   * Returns null if has been disabled with .helpOption(false).
   *
   * @returns {(Option | null)} the help option
   * @package
   */
  _getHelpOption() {
    // Lazy create help option on demand.
    if (this._helpOption === undefined) {
      this.helpOption(undefined, undefined);
    }
    return this._helpOption;
  }

  /**
   * Supply your own option to use for the built-in help option.
   * This is an alternative to using helpOption() to customise the flags and description etc.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addHelpOption(option) {
    this._helpOption = option;
    this._initOptionGroup(option);
    return this;
  }

  /**
   * Output help information and exit.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */

  help(contextOptions) {
    this.outputHelp(contextOptions);
    let exitCode = Number(process.exitCode ?? 0); // process.exitCode does allow a string or an integer, but we prefer just a number
    if (
      exitCode === 0 &&
      contextOptions &&
      typeof contextOptions !== 'function' &&
      contextOptions.error
    ) {
      exitCode = 1;
    }
    // message: do not have all displayed text available so only passing placeholder.
    this._exit(exitCode, 'commander.help', '(outputHelp)');
  }

  /**
   * // Do a little typing to coordinate emit and listener for the help text events.
   * @typedef HelpTextEventContext
   * @type {object}
   * @property {boolean} error
   * @property {Command} command
   * @property {function} write
   */

  /**
   * Add additional text to be displayed with the built-in help.
   *
   * Position is 'before' or 'after' to affect just this command,
   * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
   *
   * @param {string} position - before or after built-in help
   * @param {(string | Function)} text - string to add, or a function returning a string
   * @return {Command} `this` command for chaining
   */

  addHelpText(position, text) {
    const allowedValues = ['beforeAll', 'before', 'after', 'afterAll'];
    if (!allowedValues.includes(position)) {
      throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
    }

    const helpEvent = `${position}Help`;
    this.on(helpEvent, (/** @type {HelpTextEventContext} */ context) => {
      let helpStr;
      if (typeof text === 'function') {
        helpStr = text({ error: context.error, command: context.command });
      } else {
        helpStr = text;
      }
      // Ignore falsy value when nothing to output.
      if (helpStr) {
        context.write(`${helpStr}\n`);
      }
    });
    return this;
  }

  /**
   * Output help information if help flags specified
   *
   * @param {Array} args - array of options to search for help flags
   * @private
   */

  _outputHelpIfRequested(args) {
    const helpOption = this._getHelpOption();
    const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
    if (helpRequested) {
      this.outputHelp();
      // (Do not have all displayed text available so only passing placeholder.)
      this._exit(0, 'commander.helpDisplayed', '(outputHelp)');
    }
  }
}

/**
 * Scan arguments and increment port number for inspect calls (to avoid conflicts when spawning new command).
 *
 * @param {string[]} args - array of arguments from node.execArgv
 * @returns {string[]}
 * @private
 */

function incrementNodeInspectorPort(args) {
  // Testing for these options:
  //  --inspect[=[host:]port]
  //  --inspect-brk[=[host:]port]
  //  --inspect-port=[host:]port
  return args.map((arg) => {
    if (!arg.startsWith('--inspect')) {
      return arg;
    }
    let debugOption;
    let debugHost = '127.0.0.1';
    let debugPort = '9229';
    let match;
    if ((match = arg.match(/^(--inspect(-brk)?)$/)) !== null) {
      // e.g. --inspect
      debugOption = match[1];
    } else if (
      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+)$/)) !== null
    ) {
      debugOption = match[1];
      if (/^\d+$/.test(match[3])) {
        // e.g. --inspect=1234
        debugPort = match[3];
      } else {
        // e.g. --inspect=localhost
        debugHost = match[3];
      }
    } else if (
      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+):(\d+)$/)) !== null
    ) {
      // e.g. --inspect=localhost:1234
      debugOption = match[1];
      debugHost = match[3];
      debugPort = match[4];
    }

    if (debugOption && debugPort !== '0') {
      return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
    }
    return arg;
  });
}

/**
 * @returns {boolean | undefined}
 * @package
 */
function useColor() {
  // Test for common conventions.
  // NB: the observed behaviour is in combination with how author adds color! For example:
  //   - we do not test NODE_DISABLE_COLORS, but util:styletext does
  //   - we do test NO_COLOR, but Chalk does not
  //
  // References:
  // https://no-color.org
  // https://bixense.com/clicolors/
  // https://github.com/nodejs/node/blob/0a00217a5f67ef4a22384cfc80eb6dd9a917fdc1/lib/internal/tty.js#L109
  // https://github.com/chalk/supports-color/blob/c214314a14bcb174b12b3014b2b0a8de375029ae/index.js#L33
  // (https://force-color.org recent web page from 2023, does not match major javascript implementations)

  if (
    process.env.NO_COLOR ||
    process.env.FORCE_COLOR === '0' ||
    process.env.FORCE_COLOR === 'false'
  )
    return false;
  if (process.env.FORCE_COLOR || process.env.CLICOLOR_FORCE !== undefined)
    return true;
  return undefined;
}

exports.Command = Command;
exports.useColor = useColor; // exporting for tests


/***/ }),

/***/ 1135:
/***/ ((__unused_webpack_module, exports) => {

/**
 * CommanderError class
 */
class CommanderError extends Error {
  /**
   * Constructs the CommanderError class
   * @param {number} exitCode suggested exit code which could be used with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   */
  constructor(exitCode, code, message) {
    super(message);
    // properly capture stack trace in Node.js
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
    this.code = code;
    this.exitCode = exitCode;
    this.nestedError = undefined;
  }
}

/**
 * InvalidArgumentError class
 */
class InvalidArgumentError extends CommanderError {
  /**
   * Constructs the InvalidArgumentError class
   * @param {string} [message] explanation of why argument is invalid
   */
  constructor(message) {
    super(1, 'commander.invalidArgument', message);
    // properly capture stack trace in Node.js
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
  }
}

exports.CommanderError = CommanderError;
exports.InvalidArgumentError = InvalidArgumentError;


/***/ }),

/***/ 9754:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { humanReadableArgName } = __nccwpck_require__(9154);

/**
 * TypeScript import types for JSDoc, used by Visual Studio Code IntelliSense and `npm run typescript-checkJS`
 * https://www.typescriptlang.org/docs/handbook/jsdoc-supported-types.html#import-types
 * @typedef { import("./argument.js").Argument } Argument
 * @typedef { import("./command.js").Command } Command
 * @typedef { import("./option.js").Option } Option
 */

// Although this is a class, methods are static in style to allow override using subclass or just functions.
class Help {
  constructor() {
    this.helpWidth = undefined;
    this.minWidthToWrap = 40;
    this.sortSubcommands = false;
    this.sortOptions = false;
    this.showGlobalOptions = false;
  }

  /**
   * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
   * and just before calling `formatHelp()`.
   *
   * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
   *
   * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
   */
  prepareContext(contextOptions) {
    this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
  }

  /**
   * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
   *
   * @param {Command} cmd
   * @returns {Command[]}
   */

  visibleCommands(cmd) {
    const visibleCommands = cmd.commands.filter((cmd) => !cmd._hidden);
    const helpCommand = cmd._getHelpCommand();
    if (helpCommand && !helpCommand._hidden) {
      visibleCommands.push(helpCommand);
    }
    if (this.sortSubcommands) {
      visibleCommands.sort((a, b) => {
        // @ts-ignore: because overloaded return type
        return a.name().localeCompare(b.name());
      });
    }
    return visibleCommands;
  }

  /**
   * Compare options for sort.
   *
   * @param {Option} a
   * @param {Option} b
   * @returns {number}
   */
  compareOptions(a, b) {
    const getSortKey = (option) => {
      // WYSIWYG for order displayed in help. Short used for comparison if present. No special handling for negated.
      return option.short
        ? option.short.replace(/^-/, '')
        : option.long.replace(/^--/, '');
    };
    return getSortKey(a).localeCompare(getSortKey(b));
  }

  /**
   * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */

  visibleOptions(cmd) {
    const visibleOptions = cmd.options.filter((option) => !option.hidden);
    // Built-in help option.
    const helpOption = cmd._getHelpOption();
    if (helpOption && !helpOption.hidden) {
      // Automatically hide conflicting flags. Bit dubious but a historical behaviour that is convenient for single-command programs.
      const removeShort = helpOption.short && cmd._findOption(helpOption.short);
      const removeLong = helpOption.long && cmd._findOption(helpOption.long);
      if (!removeShort && !removeLong) {
        visibleOptions.push(helpOption); // no changes needed
      } else if (helpOption.long && !removeLong) {
        visibleOptions.push(
          cmd.createOption(helpOption.long, helpOption.description),
        );
      } else if (helpOption.short && !removeShort) {
        visibleOptions.push(
          cmd.createOption(helpOption.short, helpOption.description),
        );
      }
    }
    if (this.sortOptions) {
      visibleOptions.sort(this.compareOptions);
    }
    return visibleOptions;
  }

  /**
   * Get an array of the visible global options. (Not including help.)
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */

  visibleGlobalOptions(cmd) {
    if (!this.showGlobalOptions) return [];

    const globalOptions = [];
    for (
      let ancestorCmd = cmd.parent;
      ancestorCmd;
      ancestorCmd = ancestorCmd.parent
    ) {
      const visibleOptions = ancestorCmd.options.filter(
        (option) => !option.hidden,
      );
      globalOptions.push(...visibleOptions);
    }
    if (this.sortOptions) {
      globalOptions.sort(this.compareOptions);
    }
    return globalOptions;
  }

  /**
   * Get an array of the arguments if any have a description.
   *
   * @param {Command} cmd
   * @returns {Argument[]}
   */

  visibleArguments(cmd) {
    // Side effect! Apply the legacy descriptions before the arguments are displayed.
    if (cmd._argsDescription) {
      cmd.registeredArguments.forEach((argument) => {
        argument.description =
          argument.description || cmd._argsDescription[argument.name()] || '';
      });
    }

    // If there are any arguments with a description then return all the arguments.
    if (cmd.registeredArguments.find((argument) => argument.description)) {
      return cmd.registeredArguments;
    }
    return [];
  }

  /**
   * Get the command term to show in the list of subcommands.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  subcommandTerm(cmd) {
    // Legacy. Ignores custom usage string, and nested commands.
    const args = cmd.registeredArguments
      .map((arg) => humanReadableArgName(arg))
      .join(' ');
    return (
      cmd._name +
      (cmd._aliases[0] ? '|' + cmd._aliases[0] : '') +
      (cmd.options.length ? ' [options]' : '') + // simplistic check for non-help option
      (args ? ' ' + args : '')
    );
  }

  /**
   * Get the option term to show in the list of options.
   *
   * @param {Option} option
   * @returns {string}
   */

  optionTerm(option) {
    return option.flags;
  }

  /**
   * Get the argument term to show in the list of arguments.
   *
   * @param {Argument} argument
   * @returns {string}
   */

  argumentTerm(argument) {
    return argument.name();
  }

  /**
   * Get the longest command term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestSubcommandTermLength(cmd, helper) {
    return helper.visibleCommands(cmd).reduce((max, command) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleSubcommandTerm(helper.subcommandTerm(command)),
        ),
      );
    }, 0);
  }

  /**
   * Get the longest option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestOptionTermLength(cmd, helper) {
    return helper.visibleOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
      );
    }, 0);
  }

  /**
   * Get the longest global option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestGlobalOptionTermLength(cmd, helper) {
    return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
      );
    }, 0);
  }

  /**
   * Get the longest argument term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestArgumentTermLength(cmd, helper) {
    return helper.visibleArguments(cmd).reduce((max, argument) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleArgumentTerm(helper.argumentTerm(argument)),
        ),
      );
    }, 0);
  }

  /**
   * Get the command usage to be displayed at the top of the built-in help.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  commandUsage(cmd) {
    // Usage
    let cmdName = cmd._name;
    if (cmd._aliases[0]) {
      cmdName = cmdName + '|' + cmd._aliases[0];
    }
    let ancestorCmdNames = '';
    for (
      let ancestorCmd = cmd.parent;
      ancestorCmd;
      ancestorCmd = ancestorCmd.parent
    ) {
      ancestorCmdNames = ancestorCmd.name() + ' ' + ancestorCmdNames;
    }
    return ancestorCmdNames + cmdName + ' ' + cmd.usage();
  }

  /**
   * Get the description for the command.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  commandDescription(cmd) {
    // @ts-ignore: because overloaded return type
    return cmd.description();
  }

  /**
   * Get the subcommand summary to show in the list of subcommands.
   * (Fallback to description for backwards compatibility.)
   *
   * @param {Command} cmd
   * @returns {string}
   */

  subcommandDescription(cmd) {
    // @ts-ignore: because overloaded return type
    return cmd.summary() || cmd.description();
  }

  /**
   * Get the option description to show in the list of options.
   *
   * @param {Option} option
   * @return {string}
   */

  optionDescription(option) {
    const extraInfo = [];

    if (option.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
      );
    }
    if (option.defaultValue !== undefined) {
      // default for boolean and negated more for programmer than end user,
      // but show true/false for boolean option as may be for hand-rolled env or config processing.
      const showDefault =
        option.required ||
        option.optional ||
        (option.isBoolean() && typeof option.defaultValue === 'boolean');
      if (showDefault) {
        extraInfo.push(
          `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`,
        );
      }
    }
    // preset for boolean and negated are more for programmer than end user
    if (option.presetArg !== undefined && option.optional) {
      extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
    }
    if (option.envVar !== undefined) {
      extraInfo.push(`env: ${option.envVar}`);
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(', ')})`;
      if (option.description) {
        return `${option.description} ${extraDescription}`;
      }
      return extraDescription;
    }

    return option.description;
  }

  /**
   * Get the argument description to show in the list of arguments.
   *
   * @param {Argument} argument
   * @return {string}
   */

  argumentDescription(argument) {
    const extraInfo = [];
    if (argument.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
      );
    }
    if (argument.defaultValue !== undefined) {
      extraInfo.push(
        `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`,
      );
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(', ')})`;
      if (argument.description) {
        return `${argument.description} ${extraDescription}`;
      }
      return extraDescription;
    }
    return argument.description;
  }

  /**
   * Format a list of items, given a heading and an array of formatted items.
   *
   * @param {string} heading
   * @param {string[]} items
   * @param {Help} helper
   * @returns string[]
   */
  formatItemList(heading, items, helper) {
    if (items.length === 0) return [];

    return [helper.styleTitle(heading), ...items, ''];
  }

  /**
   * Group items by their help group heading.
   *
   * @param {Command[] | Option[]} unsortedItems
   * @param {Command[] | Option[]} visibleItems
   * @param {Function} getGroup
   * @returns {Map<string, Command[] | Option[]>}
   */
  groupItems(unsortedItems, visibleItems, getGroup) {
    const result = new Map();
    // Add groups in order of appearance in unsortedItems.
    unsortedItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) result.set(group, []);
    });
    // Add items in order of appearance in visibleItems.
    visibleItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) {
        result.set(group, []);
      }
      result.get(group).push(item);
    });
    return result;
  }

  /**
   * Generate the built-in help text.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {string}
   */

  formatHelp(cmd, helper) {
    const termWidth = helper.padWidth(cmd, helper);
    const helpWidth = helper.helpWidth ?? 80; // in case prepareContext() was not called

    function callFormatItem(term, description) {
      return helper.formatItem(term, termWidth, description, helper);
    }

    // Usage
    let output = [
      `${helper.styleTitle('Usage:')} ${helper.styleUsage(helper.commandUsage(cmd))}`,
      '',
    ];

    // Description
    const commandDescription = helper.commandDescription(cmd);
    if (commandDescription.length > 0) {
      output = output.concat([
        helper.boxWrap(
          helper.styleCommandDescription(commandDescription),
          helpWidth,
        ),
        '',
      ]);
    }

    // Arguments
    const argumentList = helper.visibleArguments(cmd).map((argument) => {
      return callFormatItem(
        helper.styleArgumentTerm(helper.argumentTerm(argument)),
        helper.styleArgumentDescription(helper.argumentDescription(argument)),
      );
    });
    output = output.concat(
      this.formatItemList('Arguments:', argumentList, helper),
    );

    // Options
    const optionGroups = this.groupItems(
      cmd.options,
      helper.visibleOptions(cmd),
      (option) => option.helpGroupHeading ?? 'Options:',
    );
    optionGroups.forEach((options, group) => {
      const optionList = options.map((option) => {
        return callFormatItem(
          helper.styleOptionTerm(helper.optionTerm(option)),
          helper.styleOptionDescription(helper.optionDescription(option)),
        );
      });
      output = output.concat(this.formatItemList(group, optionList, helper));
    });

    if (helper.showGlobalOptions) {
      const globalOptionList = helper
        .visibleGlobalOptions(cmd)
        .map((option) => {
          return callFormatItem(
            helper.styleOptionTerm(helper.optionTerm(option)),
            helper.styleOptionDescription(helper.optionDescription(option)),
          );
        });
      output = output.concat(
        this.formatItemList('Global Options:', globalOptionList, helper),
      );
    }

    // Commands
    const commandGroups = this.groupItems(
      cmd.commands,
      helper.visibleCommands(cmd),
      (sub) => sub.helpGroup() || 'Commands:',
    );
    commandGroups.forEach((commands, group) => {
      const commandList = commands.map((sub) => {
        return callFormatItem(
          helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
          helper.styleSubcommandDescription(helper.subcommandDescription(sub)),
        );
      });
      output = output.concat(this.formatItemList(group, commandList, helper));
    });

    return output.join('\n');
  }

  /**
   * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
   *
   * @param {string} str
   * @returns {number}
   */
  displayWidth(str) {
    return stripColor(str).length;
  }

  /**
   * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
   *
   * @param {string} str
   * @returns {string}
   */
  styleTitle(str) {
    return str;
  }

  styleUsage(str) {
    // Usage has lots of parts the user might like to color separately! Assume default usage string which is formed like:
    //    command subcommand [options] [command] <foo> [bar]
    return str
      .split(' ')
      .map((word) => {
        if (word === '[options]') return this.styleOptionText(word);
        if (word === '[command]') return this.styleSubcommandText(word);
        if (word[0] === '[' || word[0] === '<')
          return this.styleArgumentText(word);
        return this.styleCommandText(word); // Restrict to initial words?
      })
      .join(' ');
  }
  styleCommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleOptionDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleSubcommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleArgumentDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleDescriptionText(str) {
    return str;
  }
  styleOptionTerm(str) {
    return this.styleOptionText(str);
  }
  styleSubcommandTerm(str) {
    // This is very like usage with lots of parts! Assume default string which is formed like:
    //    subcommand [options] <foo> [bar]
    return str
      .split(' ')
      .map((word) => {
        if (word === '[options]') return this.styleOptionText(word);
        if (word[0] === '[' || word[0] === '<')
          return this.styleArgumentText(word);
        return this.styleSubcommandText(word); // Restrict to initial words?
      })
      .join(' ');
  }
  styleArgumentTerm(str) {
    return this.styleArgumentText(str);
  }
  styleOptionText(str) {
    return str;
  }
  styleArgumentText(str) {
    return str;
  }
  styleSubcommandText(str) {
    return str;
  }
  styleCommandText(str) {
    return str;
  }

  /**
   * Calculate the pad width from the maximum term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  padWidth(cmd, helper) {
    return Math.max(
      helper.longestOptionTermLength(cmd, helper),
      helper.longestGlobalOptionTermLength(cmd, helper),
      helper.longestSubcommandTermLength(cmd, helper),
      helper.longestArgumentTermLength(cmd, helper),
    );
  }

  /**
   * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
   *
   * @param {string} str
   * @returns {boolean}
   */
  preformatted(str) {
    return /\n[^\S\r\n]/.test(str);
  }

  /**
   * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
   *
   * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
   *   TTT  DDD DDDD
   *        DD DDD
   *
   * @param {string} term
   * @param {number} termWidth
   * @param {string} description
   * @param {Help} helper
   * @returns {string}
   */
  formatItem(term, termWidth, description, helper) {
    const itemIndent = 2;
    const itemIndentStr = ' '.repeat(itemIndent);
    if (!description) return itemIndentStr + term;

    // Pad the term out to a consistent width, so descriptions are aligned.
    const paddedTerm = term.padEnd(
      termWidth + term.length - helper.displayWidth(term),
    );

    // Format the description.
    const spacerWidth = 2; // between term and description
    const helpWidth = this.helpWidth ?? 80; // in case prepareContext() was not called
    const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
    let formattedDescription;
    if (
      remainingWidth < this.minWidthToWrap ||
      helper.preformatted(description)
    ) {
      formattedDescription = description;
    } else {
      const wrappedDescription = helper.boxWrap(description, remainingWidth);
      formattedDescription = wrappedDescription.replace(
        /\n/g,
        '\n' + ' '.repeat(termWidth + spacerWidth),
      );
    }

    // Construct and overall indent.
    return (
      itemIndentStr +
      paddedTerm +
      ' '.repeat(spacerWidth) +
      formattedDescription.replace(/\n/g, `\n${itemIndentStr}`)
    );
  }

  /**
   * Wrap a string at whitespace, preserving existing line breaks.
   * Wrapping is skipped if the width is less than `minWidthToWrap`.
   *
   * @param {string} str
   * @param {number} width
   * @returns {string}
   */
  boxWrap(str, width) {
    if (width < this.minWidthToWrap) return str;

    const rawLines = str.split(/\r\n|\n/);
    // split up text by whitespace
    const chunkPattern = /[\s]*[^\s]+/g;
    const wrappedLines = [];
    rawLines.forEach((line) => {
      const chunks = line.match(chunkPattern);
      if (chunks === null) {
        wrappedLines.push('');
        return;
      }

      let sumChunks = [chunks.shift()];
      let sumWidth = this.displayWidth(sumChunks[0]);
      chunks.forEach((chunk) => {
        const visibleWidth = this.displayWidth(chunk);
        // Accumulate chunks while they fit into width.
        if (sumWidth + visibleWidth <= width) {
          sumChunks.push(chunk);
          sumWidth += visibleWidth;
          return;
        }
        wrappedLines.push(sumChunks.join(''));

        const nextChunk = chunk.trimStart(); // trim space at line break
        sumChunks = [nextChunk];
        sumWidth = this.displayWidth(nextChunk);
      });
      wrappedLines.push(sumChunks.join(''));
    });

    return wrappedLines.join('\n');
  }
}

/**
 * Strip style ANSI escape sequences from the string. In particular, SGR (Select Graphic Rendition) codes.
 *
 * @param {string} str
 * @returns {string}
 * @package
 */

function stripColor(str) {
  // eslint-disable-next-line no-control-regex
  const sgrPattern = /\x1b\[\d*(;\d*)*m/g;
  return str.replace(sgrPattern, '');
}

exports.Help = Help;
exports.stripColor = stripColor;


/***/ }),

/***/ 5240:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { InvalidArgumentError } = __nccwpck_require__(1135);

class Option {
  /**
   * Initialize a new `Option` with the given `flags` and `description`.
   *
   * @param {string} flags
   * @param {string} [description]
   */

  constructor(flags, description) {
    this.flags = flags;
    this.description = description || '';

    this.required = flags.includes('<'); // A value must be supplied when the option is specified.
    this.optional = flags.includes('['); // A value is optional when the option is specified.
    // variadic test ignores <value,...> et al which might be used to describe custom splitting of single argument
    this.variadic = /\w\.\.\.[>\]]$/.test(flags); // The option can take multiple values.
    this.mandatory = false; // The option must have a value after parsing, which usually means it must be specified on command line.
    const optionFlags = splitOptionFlags(flags);
    this.short = optionFlags.shortFlag; // May be a short flag, undefined, or even a long flag (if option has two long flags).
    this.long = optionFlags.longFlag;
    this.negate = false;
    if (this.long) {
      this.negate = this.long.startsWith('--no-');
    }
    this.defaultValue = undefined;
    this.defaultValueDescription = undefined;
    this.presetArg = undefined;
    this.envVar = undefined;
    this.parseArg = undefined;
    this.hidden = false;
    this.argChoices = undefined;
    this.conflictsWith = [];
    this.implied = undefined;
    this.helpGroupHeading = undefined; // soft initialised when option added to command
  }

  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Option}
   */

  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }

  /**
   * Preset to use when option used without option-argument, especially optional but also boolean and negated.
   * The custom processing (parseArg) is called.
   *
   * @example
   * new Option('--color').default('GREYSCALE').preset('RGB');
   * new Option('--donate [amount]').preset('20').argParser(parseFloat);
   *
   * @param {*} arg
   * @return {Option}
   */

  preset(arg) {
    this.presetArg = arg;
    return this;
  }

  /**
   * Add option name(s) that conflict with this option.
   * An error will be displayed if conflicting options are found during parsing.
   *
   * @example
   * new Option('--rgb').conflicts('cmyk');
   * new Option('--js').conflicts(['ts', 'jsx']);
   *
   * @param {(string | string[])} names
   * @return {Option}
   */

  conflicts(names) {
    this.conflictsWith = this.conflictsWith.concat(names);
    return this;
  }

  /**
   * Specify implied option values for when this option is set and the implied options are not.
   *
   * The custom processing (parseArg) is not called on the implied values.
   *
   * @example
   * program
   *   .addOption(new Option('--log', 'write logging information to file'))
   *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
   *
   * @param {object} impliedOptionValues
   * @return {Option}
   */
  implies(impliedOptionValues) {
    let newImplied = impliedOptionValues;
    if (typeof impliedOptionValues === 'string') {
      // string is not documented, but easy mistake and we can do what user probably intended.
      newImplied = { [impliedOptionValues]: true };
    }
    this.implied = Object.assign(this.implied || {}, newImplied);
    return this;
  }

  /**
   * Set environment variable to check for option value.
   *
   * An environment variable is only used if when processed the current option value is
   * undefined, or the source of the current value is 'default' or 'config' or 'env'.
   *
   * @param {string} name
   * @return {Option}
   */

  env(name) {
    this.envVar = name;
    return this;
  }

  /**
   * Set the custom handler for processing CLI option arguments into option values.
   *
   * @param {Function} [fn]
   * @return {Option}
   */

  argParser(fn) {
    this.parseArg = fn;
    return this;
  }

  /**
   * Whether the option is mandatory and must have a value after parsing.
   *
   * @param {boolean} [mandatory=true]
   * @return {Option}
   */

  makeOptionMandatory(mandatory = true) {
    this.mandatory = !!mandatory;
    return this;
  }

  /**
   * Hide option in help.
   *
   * @param {boolean} [hide=true]
   * @return {Option}
   */

  hideHelp(hide = true) {
    this.hidden = !!hide;
    return this;
  }

  /**
   * @package
   */

  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }

    previous.push(value);
    return previous;
  }

  /**
   * Only allow option value to be one of choices.
   *
   * @param {string[]} values
   * @return {Option}
   */

  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(', ')}.`,
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }

  /**
   * Return option name.
   *
   * @return {string}
   */

  name() {
    if (this.long) {
      return this.long.replace(/^--/, '');
    }
    return this.short.replace(/^-/, '');
  }

  /**
   * Return option name, in a camelcase format that can be used
   * as an object attribute key.
   *
   * @return {string}
   */

  attributeName() {
    if (this.negate) {
      return camelcase(this.name().replace(/^no-/, ''));
    }
    return camelcase(this.name());
  }

  /**
   * Set the help group heading.
   *
   * @param {string} heading
   * @return {Option}
   */
  helpGroup(heading) {
    this.helpGroupHeading = heading;
    return this;
  }

  /**
   * Check if `arg` matches the short or long flag.
   *
   * @param {string} arg
   * @return {boolean}
   * @package
   */

  is(arg) {
    return this.short === arg || this.long === arg;
  }

  /**
   * Return whether a boolean option.
   *
   * Options are one of boolean, negated, required argument, or optional argument.
   *
   * @return {boolean}
   * @package
   */

  isBoolean() {
    return !this.required && !this.optional && !this.negate;
  }
}

/**
 * This class is to make it easier to work with dual options, without changing the existing
 * implementation. We support separate dual options for separate positive and negative options,
 * like `--build` and `--no-build`, which share a single option value. This works nicely for some
 * use cases, but is tricky for others where we want separate behaviours despite
 * the single shared option value.
 */
class DualOptions {
  /**
   * @param {Option[]} options
   */
  constructor(options) {
    this.positiveOptions = new Map();
    this.negativeOptions = new Map();
    this.dualOptions = new Set();
    options.forEach((option) => {
      if (option.negate) {
        this.negativeOptions.set(option.attributeName(), option);
      } else {
        this.positiveOptions.set(option.attributeName(), option);
      }
    });
    this.negativeOptions.forEach((value, key) => {
      if (this.positiveOptions.has(key)) {
        this.dualOptions.add(key);
      }
    });
  }

  /**
   * Did the value come from the option, and not from possible matching dual option?
   *
   * @param {*} value
   * @param {Option} option
   * @returns {boolean}
   */
  valueFromOption(value, option) {
    const optionKey = option.attributeName();
    if (!this.dualOptions.has(optionKey)) return true;

    // Use the value to deduce if (probably) came from the option.
    const preset = this.negativeOptions.get(optionKey).presetArg;
    const negativeValue = preset !== undefined ? preset : false;
    return option.negate === (negativeValue === value);
  }
}

/**
 * Convert string from kebab-case to camelCase.
 *
 * @param {string} str
 * @return {string}
 * @private
 */

function camelcase(str) {
  return str.split('-').reduce((str, word) => {
    return str + word[0].toUpperCase() + word.slice(1);
  });
}

/**
 * Split the short and long flag out of something like '-m,--mixed <value>'
 *
 * @private
 */

function splitOptionFlags(flags) {
  let shortFlag;
  let longFlag;
  // short flag, single dash and single character
  const shortFlagExp = /^-[^-]$/;
  // long flag, double dash and at least one character
  const longFlagExp = /^--[^-]/;

  const flagParts = flags.split(/[ |,]+/).concat('guard');
  // Normal is short and/or long.
  if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
  if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
  // Long then short. Rarely used but fine.
  if (!shortFlag && shortFlagExp.test(flagParts[0]))
    shortFlag = flagParts.shift();
  // Allow two long flags, like '--ws, --workspace'
  // This is the supported way to have a shortish option flag.
  if (!shortFlag && longFlagExp.test(flagParts[0])) {
    shortFlag = longFlag;
    longFlag = flagParts.shift();
  }

  // Check for unprocessed flag. Fail noisily rather than silently ignore.
  if (flagParts[0].startsWith('-')) {
    const unsupportedFlag = flagParts[0];
    const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
    if (/^-[^-][^-]/.test(unsupportedFlag))
      throw new Error(
        `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`,
      );
    if (shortFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many short flags`);
    if (longFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many long flags`);

    throw new Error(`${baseError}
- unrecognised flag format`);
  }
  if (shortFlag === undefined && longFlag === undefined)
    throw new Error(
      `option creation failed due to no flags found in '${flags}'.`,
    );

  return { shortFlag, longFlag };
}

exports.Option = Option;
exports.DualOptions = DualOptions;


/***/ }),

/***/ 5030:
/***/ ((__unused_webpack_module, exports) => {

const maxDistance = 3;

function editDistance(a, b) {
  // https://en.wikipedia.org/wiki/Damerau–Levenshtein_distance
  // Calculating optimal string alignment distance, no substring is edited more than once.
  // (Simple implementation.)

  // Quick early exit, return worst case.
  if (Math.abs(a.length - b.length) > maxDistance)
    return Math.max(a.length, b.length);

  // distance between prefix substrings of a and b
  const d = [];

  // pure deletions turn a into empty string
  for (let i = 0; i <= a.length; i++) {
    d[i] = [i];
  }
  // pure insertions turn empty string into b
  for (let j = 0; j <= b.length; j++) {
    d[0][j] = j;
  }

  // fill matrix
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      let cost = 1;
      if (a[i - 1] === b[j - 1]) {
        cost = 0;
      } else {
        cost = 1;
      }
      d[i][j] = Math.min(
        d[i - 1][j] + 1, // deletion
        d[i][j - 1] + 1, // insertion
        d[i - 1][j - 1] + cost, // substitution
      );
      // transposition
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }

  return d[a.length][b.length];
}

/**
 * Find close matches, restricted to same number of edits.
 *
 * @param {string} word
 * @param {string[]} candidates
 * @returns {string}
 */

function suggestSimilar(word, candidates) {
  if (!candidates || candidates.length === 0) return '';
  // remove possible duplicates
  candidates = Array.from(new Set(candidates));

  const searchingOptions = word.startsWith('--');
  if (searchingOptions) {
    word = word.slice(2);
    candidates = candidates.map((candidate) => candidate.slice(2));
  }

  let similar = [];
  let bestDistance = maxDistance;
  const minSimilarity = 0.4;
  candidates.forEach((candidate) => {
    if (candidate.length <= 1) return; // no one character guesses

    const distance = editDistance(word, candidate);
    const length = Math.max(word.length, candidate.length);
    const similarity = (length - distance) / length;
    if (similarity > minSimilarity) {
      if (distance < bestDistance) {
        // better edit distance, throw away previous worse matches
        bestDistance = distance;
        similar = [candidate];
      } else if (distance === bestDistance) {
        similar.push(candidate);
      }
    }
  });

  similar.sort((a, b) => a.localeCompare(b));
  if (searchingOptions) {
    similar = similar.map((candidate) => `--${candidate}`);
  }

  if (similar.length > 1) {
    return `\n(Did you mean one of ${similar.join(', ')}?)`;
  }
  if (similar.length === 1) {
    return `\n(Did you mean ${similar[0]}?)`;
  }
  return '';
}

exports.suggestSimilar = suggestSimilar;


/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
__webpack_unused_export__ = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(1070);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(1070);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(1070);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(1070);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(1070);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 1070:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

//# sourceMappingURL=index.js.map