// Runs TA-Lib functions in a plain Node process (its native module cannot be called from inside
// the test runner's contexts). stdin: { calls: [{ name, ...options }] }; stdout: the results.
const talib = require('talib');
let text = '';
process.stdin.on('data', (d) => (text += d));
process.stdin.on('end', () => {
  const { calls } = JSON.parse(text);
  const out = calls.map((c) => talib.execute(c));
  process.stdout.write(JSON.stringify(out));
});
