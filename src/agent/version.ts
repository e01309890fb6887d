/** The agent's version, reported in every status message. */
export const AGENT_VERSION = '0.1.0';
