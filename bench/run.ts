// Runs every benchmark suite in one process so their ratios come from one run.
export {};
