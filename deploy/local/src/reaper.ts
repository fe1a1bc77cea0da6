// Stops what a test run or local run started when its owner process dies without stopping it (an
// interrupted or killed run). Started detached by the resolver:
//   node --import tsx reaper.ts <ownerPid> <stateDir> <name>...
// It exits quietly when the owner stops the processes itself (their PID files disappear).
import { readManaged, stopManaged } from "./process-control";

const [ownerArg, stateDir, ...names] = process.argv.slice(2);
const owner = Number(ownerArg);

const ownerAlive = () => {
  try {
    process.kill(owner, 0);
    return true;
  } catch {
    return false;
  }
};

async function anyLeft(): Promise<boolean> {
  if (!stateDir) return false;
  const records = await Promise.all(names.map((name) => readManaged(stateDir, name)));
  return records.some((record) => record !== undefined);
}

for (;;) {
  if (!(await anyLeft())) process.exit(0);
  if (!ownerAlive()) {
    for (const name of names) await stopManaged(stateDir as string, name);
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
