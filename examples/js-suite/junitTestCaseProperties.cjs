/* eslint-disable @typescript-eslint/no-require-imports */
/** jest-junit testcase properties: the figures recordFigure() wrote for this test. */
const { existsSync, readFileSync } = require('node:fs');
const { FILE } = require('./jest/figures.cjs');

module.exports = (testResult) => {
  const properties = {};
  if (!existsSync(FILE)) return properties;
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    if (line === '') continue;
    const { test, name, value } = JSON.parse(line);
    if (test === testResult.fullName) properties[name] = value;
  }
  return properties;
};
