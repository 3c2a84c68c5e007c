/**
 * The project's own ESLint rules, wired in eslint.config.mjs as the plugin "local".
 * - local/safe-ui-text: backend text in notifications, progress and quick picks goes through safeText.
 */
'use strict';

module.exports = {
  meta: { name: 'eslint-plugin-local' },
  rules: {
    'safe-ui-text': require('./safe-ui-text'),
  },
};
