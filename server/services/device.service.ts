import type { z } from 'zod';
import type { Device, DeviceInput, DevicePatchSchema } from '../../shared/schemas/device.schema.js';
import { ConflictError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { placementOf } from './placement.service.js';
import { createResourceService } from './resource.service.js';

export function createDeviceService(repos: Repositories) {
  return createResourceService<Device, DeviceInput, z.infer<typeof DevicePatchSchema>>(
    'devices',
    'device',
    repos.devices,
    {
      async toRecord(_actor, input) {
        return { ...input, ...(await placementOf(repos, input.station)) };
      },
      async applyPatch(_actor, current, patch) {
        if (current.state === 'issued' && (patch.station || (patch.state && patch.state !== 'issued')))
          throw new ConflictError(`Device ${current.serial} is issued; receive it back first.`, 'device_issued');
        if (patch.state === 'issued')
          throw new ConflictError('Devices are issued through the armoury, not by editing them.', 'use_custody_issue');
        return patch.station ? { ...patch, ...(await placementOf(repos, patch.station)) } : patch;
      },
      beforeRemove(current) {
        if (current.state === 'issued')
          throw new ConflictError(`Device ${current.serial} is issued; receive it back first.`, 'device_issued');
        return Promise.resolve();
      },
    },
  );
}
