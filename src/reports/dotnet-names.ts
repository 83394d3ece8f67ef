/**
 * Test names of the .NET report formats (NUnit, xUnit.net, TRX), which give a fully qualified
 * display name (`Namespace.Class.Method(1, "a.b")`) and, mostly, the class apart. The ids they
 * produce are the `classname.name` of {@link testId}, so that the same test gets the same id in
 * every .NET format that names it the same way, and in a JUnit conversion of it.
 */
import { detach, firstLine } from './ids.js';

/** A fully qualified test name split into its class and the rest. */
export interface QualifiedName {
  readonly classname: string;
  readonly name: string;
}

/**
 * Splits `Namespace.Class.Method(args)` at the last dot before the argument list (dots inside
 * arguments are not separators). A name without a dot has no class.
 */
export function splitQualifiedName(full: string): QualifiedName {
  const paren = full.indexOf('(');
  const dot = full.lastIndexOf('.', paren < 0 ? full.length : paren);
  if (dot <= 0) return { classname: '', name: full };
  return { classname: full.slice(0, dot), name: full.slice(dot + 1) };
}

/**
 * The test's name relative to its class: `display` without a leading `classname.` (xUnit.net and
 * VSTest write fully qualified display names, MSTest and NUnit 3 short ones).
 */
export function nameUnder(classname: string, display: string): string {
  return classname !== '' &&
    display.startsWith(`${classname}.`) &&
    display.length > classname.length + 1
    ? display.slice(classname.length + 1)
    : display;
}

/**
 * A class name as .NET writes it, without the assembly qualification older MSTest TRX files add
 * (`Ns.Class, Assembly, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null`).
 */
export function plainClassName(className: string): string {
  let depth = 0;
  for (let index = 0; index < className.length; index += 1) {
    const char = className[index];
    if (char === '[') depth += 1;
    else if (char === ']') depth -= 1;
    // Generic arguments (`Class`1[[System.Int32, mscorlib]]`) carry commas of their own.
    else if (char === ',' && depth === 0) return className.slice(0, index).trim();
  }
  return className.trim();
}

/**
 * First line of a message element's text, as a flat copy (a slice would keep the whole chunk the
 * parser read it from alive); undefined when there is none.
 */
export function messageOf(text: string | undefined): string | undefined {
  const line = firstLine(text);
  return line === undefined ? undefined : detach(line);
}

/** A `hh:mm:ss.fffffff` TimeSpan (`d.hh:mm:ss.fffffff` past a day) in seconds. */
export function parseTimeSpan(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (match === null || match[1] === '-') return undefined;
  const [days, hours, minutes, seconds] = [match[2] ?? '0', match[3], match[4], match[5]].map(
    Number,
  ) as [number, number, number, number];
  if (minutes >= 60 || seconds >= 60) return undefined;
  return ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
}
