import { Testing } from 'cdktf';
// Types of the matchers below (toHaveResourceWithProperties, ...) for `tsc`.
import 'cdktf/lib/testing/adapters/jest';

// Registers cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource...
Testing.setupJest();
