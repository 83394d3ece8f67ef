/** Version of the action, pushed as the `action_version` label (kept equal to package.json by a test). */
export const ACTION_VERSION = '1.0.0';
