/* global expect */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * recordFigure(name, value): records a reliability figure for the current Jest test.
 * Jest has no per-test metadata in its results, so figures go to a side file that
 * junitTestCaseProperties.cjs turns into jest-junit <property> elements.
 */
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');

const FILE = join(__dirname, '..', '.figures.jsonl');

function recordFigure(name, value) {
  const test = expect.getState().currentTestName;
  appendFileSync(FILE, `${JSON.stringify({ test, name, value })}\n`);
}

module.exports = { recordFigure, FILE };
