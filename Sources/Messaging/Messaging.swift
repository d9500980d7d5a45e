// Module Messaging.
