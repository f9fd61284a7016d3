/**
 * Defaults for `npm start`, set before any handler module (and so any Powertools Logger) is
 * loaded: the handlers' structured logs are quiet unless asked for
 * (`POWERTOOLS_LOG_LEVEL=INFO npm start` shows every batch and request).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
