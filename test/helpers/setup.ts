import { Testing } from 'cdktf';

// Registers cdktf's matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource...
Testing.setupJest();
