// The choices of the settings page, in the order shown (the server's enum in the same order).
export const CHANNEL_OPTIONS = ['immediate', 'daily', 'weekly', 'none'] as const;
