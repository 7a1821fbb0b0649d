import { Option } from 'commander';

/** `--pack DIR`, on every command that reads a pack. */
export const packOption = (): Option => new Option('--pack <dir>', 'policy pack folder (default: the shipped production-readiness pack)');
