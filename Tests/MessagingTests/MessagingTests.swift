import Testing
@testable import Messaging
