// Module Chains.
