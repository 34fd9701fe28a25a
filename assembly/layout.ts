// ABI constants, mirrored in src/kernel/abi.ts (a test keeps them equal).
export const ABI_VERSION: i32 = 1;
