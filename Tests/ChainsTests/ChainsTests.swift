import Testing
@testable import Chains
