// Constants the portal's server code and components share (this file ships to the browser).
export const HONEYPOT_FIELD = 'website';
