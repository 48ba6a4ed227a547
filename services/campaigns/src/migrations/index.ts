import { CampaignsInitial1732790000000 } from './1732790000000-CampaignsInitial';

export const campaignsMigrations = [CampaignsInitial1732790000000];
